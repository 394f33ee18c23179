import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { loadEnvFile } from '../config/env-file.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * The DataSource for the TypeORM CLI (`npm run migration:run`, `migration:revert`, `migration:show`).
 * The app itself migrates through database/migrate.ts.
 */
loadEnvFile();
const config = loadConfig(process.env, true);
export default new DataSource(dataSourceOptions(config.database.url, 2));
