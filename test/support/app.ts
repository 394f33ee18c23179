import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { LogService } from '../../src/core/logging/log.service.js';
import { runMigrations } from '../../src/database/migrate.js';
import { configureHttp } from '../../src/bootstrap.js';

/**
 * Boots Dropflow in the test process, with the test's environment and, optionally, extra modules
 * (test-only tasks). The same AppModule the server runs; no mocks.
 */
export async function bootApp(env: Record<string, string>, extraModules: Type[] = [], options: { cli?: boolean; listen?: boolean } = {}): Promise<{ app: INestApplication; config: AppConfig; url: string }> {
  const config = loadConfig({ ...env }, options.cli);
  await runMigrations(config.database.url).catch(() => undefined);
  const log = new LogService({ level: env.LOG_LEVEL ?? 'warn', dir: config.logging.dir, console: 'stderr', consoleLevel: 'fatal' });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, log, { cli: options.cli }), ...extraModules] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttp(app);
  let url = '';
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  } else {
    await app.init();
  }
  return { app, config, url };
}
