import 'reflect-metadata';
import { startServer } from './bootstrap.js';
import { loadConfig } from './config/app-config.js';
import { loadEnvFile } from './config/env-file.js';
import { DropflowError } from './core/errors.js';

try {
  loadEnvFile();
  await startServer(loadConfig());
} catch (error) {
  process.stderr.write(`Dropflow could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof DropflowError ? error.exitCode : 1);
}
