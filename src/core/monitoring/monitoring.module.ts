import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthCheckRecord } from '../health/health-check.entity.js';
import { AdminController } from './admin.controller.js';
import { AdminTokenGuard } from '../http/admin-token.guard.js';
import { TasksController } from './tasks.controller.js';

/** The admin REST API under /api (api role only). */
@Module({
  imports: [TypeOrmModule.forFeature([HealthCheckRecord])],
  controllers: [TasksController, AdminController],
  providers: [AdminTokenGuard],
})
export class MonitoringModule {}
