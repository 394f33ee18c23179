import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { AiController } from './ai.controller.js';
import { AIAgentsModule } from './ai-agents.module.js';

/** The AI REST API (api role only). */
@Module({ imports: [AIAgentsModule], controllers: [AiController], providers: [AdminTokenGuard] })
export class AIAgentsHttpModule {}
