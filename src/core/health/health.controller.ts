import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisConnections } from '../redis/redis-connections.js';

const PROBE_TIMEOUT_MS = 2000;

/** Probes for orchestrators; open, without the admin token. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisConnections,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /** Postgres and Redis answer and every migration is applied; 503 naming the failing part otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(PROBE_TIMEOUT_MS),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => ({ latencyMs: await this.redis.ping(PROBE_TIMEOUT_MS - 100) }))
          .withTimeout(PROBE_TIMEOUT_MS),
      () =>
        this.indicators
          .check('migrations')
          .attempt(async () => {
            if (await this.dataSource.showMigrations()) throw new Error('migrations are pending: run "npm run migration:run" or start with DB_MIGRATE_ON_START=true');
          })
          .withTimeout(PROBE_TIMEOUT_MS),
    ]);
  }
}
