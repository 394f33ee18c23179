import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { BeatService } from './beat.service.js';
import { PeriodicTask } from './periodic-task.entity.js';
import { PeriodicTasksService } from './periodic-tasks.service.js';

/**
 * Periodic tasks for every role (setup-beat, status, the API read and edit them); the cron
 * registry and the beat only in the scheduler role, so nothing fires in other processes.
 */
@Module({})
export class SchedulingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const scheduler = config.hasRole('scheduler');
    return {
      module: SchedulingModule,
      global: true,
      imports: [TypeOrmModule.forFeature([PeriodicTask]), ...(scheduler ? [ScheduleModule.forRoot()] : [])],
      providers: [PeriodicTasksService, ...(scheduler ? [BeatService] : [])],
      exports: [PeriodicTasksService],
    };
  }
}
