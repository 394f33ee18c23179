import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { LogService } from './logging/log.service.js';
import { LoggingModule } from './logging/logging.module.js';
import { MaintenanceModule } from './maintenance/maintenance.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { RedisModule } from './redis/redis.module.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { WorkersModule } from './workers/workers.module.js';
import { HealthModule } from './health/health.module.js';
import { StatusModule } from './monitoring/status.module.js';
import { ConnectorsModule } from './connectors/connectors.module.js';

/** The platform every domain module uses: config, logging, Postgres, the six queues, tasks, workers, health, maintenance. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, log: LogService, options: { cli?: boolean } = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(log),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.database.url, config.database.poolSize),
          autoLoadEntities: true,
          // The CLI says at once that Postgres is down; servers keep trying while it comes up.
          retryAttempts: options.cli ? 0 : 10,
          retryDelay: 3000,
        }),
        RedisModule,
        QueuesModule,
        TasksModule,
        WorkersModule,
        HealthModule,
        MaintenanceModule,
        SchedulingModule.forRoot(config),
        StatusModule,
        ConnectorsModule,
      ],
    };
  }
}
