import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import type { CommanderError } from 'commander';
import { CliModule } from './commands/cli.module.js';
import { exitForUsageError } from './commands/usage-exit-codes.js';
import { loadConfig } from './config/app-config.js';
import { loadEnvFile } from './config/env-file.js';
import { DropflowError } from './core/errors.js';
import { LogService } from './core/logging/log.service.js';
import { limitHeapGrowth } from './core/workers/heap-growth.js';
import { runMigrations } from './database/migrate.js';
import { APP_VERSION } from './version.js';

/** The `dropflow` command: the same modules and container as the server, no HTTP, no consumers, no cron. */
function fail(error: unknown): never {
  process.stderr.write(`dropflow: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof DropflowError ? error.exitCode : 1);
}

try {
  loadEnvFile();
  const config = loadConfig(process.env, true);
  // run-task runs tasks in this process too.
  limitHeapGrowth(config.worker.heapGrowthPercent);
  const log = new LogService({ level: config.logging.level, dir: config.logging.dir, console: 'stderr', consoleLevel: 'warn' });
  const wantsHelp = process.argv.length <= 2 || process.argv.some((arg) => ['-h', '--help', '-V', '--version'].includes(arg));
  if (config.database.migrateOnStart && !wantsHelp) await runMigrations(config.database.url);
  await CommandFactory.run(CliModule.forRoot(config, log), {
    cliName: 'dropflow',
    version: APP_VERSION,
    logger: log,
    abortOnError: false,
    // Commander has already printed what was wrong with the command line.
    errorHandler: (error) => exitForUsageError(error as CommanderError),
    serviceErrorHandler: (error) => {
      process.stderr.write(`dropflow: ${error.message}\n`);
      process.exitCode = error instanceof DropflowError ? error.exitCode : 1;
    },
  });
  process.exit(process.exitCode ?? 0);
} catch (error) {
  fail(error);
}
