import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from '../../config/app-config.js';

/**
 * The scheduler role's cron registry. Periodic tasks are loaded from Postgres into it (issue #4);
 * other roles do not load it at all, so nothing fires twice.
 */
@Module({})
export class SchedulingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: SchedulingModule, imports: config.hasRole('scheduler') ? [ScheduleModule.forRoot()] : [] };
  }
}
