import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working directory when there is one. Variables already set in the
 * environment win, so a process manager or a test can always override the file.
 */
export function loadEnvFile(path = '.env'): void {
  if (process.env.DROPFLOW_ENV_FILE === 'none' || !existsSync(path)) return;
  process.loadEnvFile(path);
}
