import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { HealthCheckRecord } from '../health/health-check.entity.js';
import { AdminController } from './admin.controller.js';
import { EventsController } from './events.controller.js';
import { MetricsController } from './metrics.controller.js';
import { AdminTokenGuard } from '../http/admin-token.guard.js';
import { TasksController } from './tasks.controller.js';

/** The admin REST API under /api (api role only). */
@Module({
  imports: [TypeOrmModule.forFeature([HealthCheckRecord]), DashboardModule],
  controllers: [TasksController, AdminController, EventsController, MetricsController],
  providers: [AdminTokenGuard],
})
export class MonitoringModule {}
