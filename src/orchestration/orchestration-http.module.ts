import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { OrchestrationModule } from './orchestration.module.js';
import { WorkflowsController } from './workflows.controller.js';

/** The workflows REST API (api role only). */
@Module({ imports: [OrchestrationModule], controllers: [WorkflowsController], providers: [AdminTokenGuard] })
export class OrchestrationHttpModule {}
