import { ValidationPipe, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from './config/app-config.js';
import { presentedToken, tokenMatches } from './core/http/admin-token.guard.js';
import { DropflowExceptionFilter } from './core/http/dropflow-exception.filter.js';
import { LogService } from './core/logging/log.service.js';
import { redactUrl } from './core/logging/redact.js';
import { limitHeapGrowth } from './core/workers/heap-growth.js';
import { runMigrations } from './database/migrate.js';

/** The log file a process's own messages go to: the role's, or the queue's for a one-queue worker. */
export function roleLogFile(config: AppConfig): string {
  if (config.hasRole('api')) return 'api';
  if (config.hasRole('scheduler')) return 'scheduler';
  return config.worker.queues.length === 1 ? config.worker.queues[0] : 'worker';
}

/**
 * SIGTERM/SIGINT close the app (workers finish active jobs within the grace period, history is
 * flushed, connections closed) and exit 0; a second signal exits at once. Nest's own shutdown
 * hooks would re-raise the signal, so a clean stop would look like a crash to a supervisor.
 */
function exitGracefullyOnSignals(app: INestApplication, log: LogService) {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.root.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.root.info({ signal }, 'Dropflow stopping');
    app.close().then(
      () => {
        log.root.info('Dropflow stopped');
        log.onApplicationShutdown();
        process.exit(0);
      },
      (error: Error) => {
        log.root.error({ err: error.message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
}

/** Validation and error mapping every HTTP entry point shares. */
export function configureHttp(app: INestApplication): INestApplication {
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new DropflowExceptionFilter());
  const config = app.get(AppConfig);
  if (config.hasRole('api')) mountApiDocs(app, config);
  return app;
}

/** OpenAPI at /api/docs (the JSON at /api/docs-json), behind the admin token like the rest of /api. */
function mountApiDocs(app: INestApplication, config: AppConfig): void {
  app.use(['/api/docs', '/api/docs-json'], (request: Request, response: Response, next: NextFunction) => {
    const expected = config.admin.token;
    if (expected ? tokenMatches(presentedToken(request), expected) : config.admin.insecureDev) return next();
    response.status(401).json({ statusCode: 401, message: 'A valid admin token is required: send "Authorization: Bearer <ADMIN_TOKEN>", or log in to the dashboard.' });
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Dropflow admin API')
      .setDescription('Tasks and runs, queues, workers, schedules, health, suppliers, marketplaces, AI, analytics. Every route needs Authorization: Bearer <ADMIN_TOKEN>.')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * Starts a server process with the roles of APP_ROLES: migrates first (unless switched off),
 * then serves HTTP when it is the api or HEALTH_PORT is set. `extraModules` add tasks (tests).
 */
export async function startServer(config: AppConfig, extraModules: Type[] = []): Promise<INestApplication> {
  limitHeapGrowth(config.worker.heapGrowthPercent);
  const log = new LogService({ level: config.logging.level, dir: config.logging.dir, roleFile: roleLogFile(config), console: 'stdout' });
  log.root.info({ roles: [...config.roles], queues: config.worker.queues, database: redactUrl(config.database.url), redis: redactUrl(config.redis.url), prefix: config.redis.prefix }, 'Dropflow starting');
  if (config.database.migrateOnStart) {
    const applied = await runMigrations(config.database.url);
    if (applied.length) log.root.info({ applied }, 'database migrated');
  }
  const app = await NestFactory.create({ module: class DropflowServer {}, imports: [AppModule.forRoot(config, log), ...extraModules] }, { logger: log, abortOnError: false });
  configureHttp(app);
  exitGracefullyOnSignals(app, log);
  const port = config.hasRole('api') ? config.http.port : config.http.healthPort;
  if (port !== undefined) {
    await app.listen(port, config.http.host);
    log.root.info({ url: await app.getUrl() }, config.hasRole('api') ? 'api listening' : 'health endpoints listening');
  } else {
    await app.init();
  }
  log.root.info({ roles: [...config.roles] }, 'Dropflow started');
  return app;
}
