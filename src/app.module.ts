import { Module, type DynamicModule } from '@nestjs/common';
import { AIAgentsHttpModule } from './ai-agents/ai-agents-http.module.js';
import { AIAgentsModule } from './ai-agents/ai-agents.module.js';
import { AnalyticsHttpModule } from './analytics/analytics-http.module.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import type { AppConfig } from './config/app-config.js';
import { CoreModule } from './core/core.module.js';
import type { LogService } from './core/logging/log.service.js';
import { MonitoringModule } from './core/monitoring/monitoring.module.js';
import { MarketplacesHttpModule } from './marketplaces/marketplaces-http.module.js';
import { MarketplacesModule } from './marketplaces/marketplaces.module.js';
import { OrchestrationHttpModule } from './orchestration/orchestration-http.module.js';
import { OrchestrationModule } from './orchestration/orchestration.module.js';
import { SuppliersHttpModule } from './suppliers/suppliers-http.module.js';
import { SuppliersModule } from './suppliers/suppliers.module.js';

/**
 * Every process imports every domain module (the CLI and the api need their services), so
 * importing a module never starts work: the worker and scheduler roles start it explicitly.
 * Only the api role mounts the admin API.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, log: LogService, options: { cli?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, log, options),
        SuppliersModule,
        MarketplacesModule,
        OrchestrationModule,
        AIAgentsModule,
        AnalyticsModule,
        ...(config.hasRole('api') ? [MonitoringModule, OrchestrationHttpModule, SuppliersHttpModule, MarketplacesHttpModule, AIAgentsHttpModule, AnalyticsHttpModule] : []),
      ],
    };
  }
}
