import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DailyReportService } from './daily-report.service.js';
import { ExchangeRate } from './entities/exchange-rate.entity.js';
import { ProfitabilityMetric } from './entities/profitability-metric.entity.js';
import { Report } from './entities/report.entity.js';
import { ExchangeRatesService } from './exchange-rates.service.js';
import { PerformanceReportsService } from './performance-reports.service.js';
import { ProfitabilityService } from './profitability.service.js';
import { ReportsService } from './reports.service.js';
import { CalculateProfitabilityMetricsTask } from './tasks/calculate-profitability-metrics.task.js';
import { GenerateDailyReportsTask } from './tasks/generate-daily-reports.task.js';
import { GenerateMarketplacePerformanceReportTask } from './tasks/generate-marketplace-performance-report.task.js';
import { GenerateSupplierPerformanceReportTask } from './tasks/generate-supplier-performance-report.task.js';

/**
 * Analytics: reports and profitability metrics. Unlike the other modules it reads the supplier,
 * marketplace and task tables directly, read-only and in SQL, because its figures must be
 * aggregated in Postgres over years of orders (see order-economics.sql.ts).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Report, ProfitabilityMetric, ExchangeRate])],
  providers: [
    ReportsService,
    DailyReportService,
    PerformanceReportsService,
    ProfitabilityService,
    ExchangeRatesService,
    GenerateDailyReportsTask,
    GenerateSupplierPerformanceReportTask,
    GenerateMarketplacePerformanceReportTask,
    CalculateProfitabilityMetricsTask,
  ],
  exports: [ReportsService, ProfitabilityService, ExchangeRatesService],
})
export class AnalyticsModule {}
