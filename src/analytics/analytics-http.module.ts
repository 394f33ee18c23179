import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { AnalyticsController } from './analytics.controller.js';
import { AnalyticsModule } from './analytics.module.js';

/** The analytics REST API (api role only). */
@Module({ imports: [AnalyticsModule], controllers: [AnalyticsController], providers: [AdminTokenGuard] })
export class AnalyticsHttpModule {}
