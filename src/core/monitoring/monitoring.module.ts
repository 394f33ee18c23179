import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../http/admin-token.guard.js';
import { TasksController } from './tasks.controller.js';

/** The admin REST API under /api (api role only). */
@Module({
  controllers: [TasksController],
  providers: [AdminTokenGuard],
})
export class MonitoringModule {}
