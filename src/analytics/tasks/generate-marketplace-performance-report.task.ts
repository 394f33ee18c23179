import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { PerformanceReportsService } from '../performance-reports.service.js';

export class MarketplacePerformanceArguments {
  @IsOptional() @IsInt() @Min(1)
  marketplace_id?: number;

  @IsOptional() @IsInt() @Min(1) @Max(3660)
  days = 30;
}

@Injectable()
@Task({
  name: 'generate_marketplace_performance_report',
  queue: 'analytics',
  description: 'Per marketplace: orders, revenue, average order value, fees, live listings, sell-through, order sync lag, errors',
  arguments: MarketplacePerformanceArguments,
  positional: ['marketplace_id', 'days'],
})
export class GenerateMarketplacePerformanceReportTask implements TaskHandler<MarketplacePerformanceArguments> {
  constructor(private readonly performance: PerformanceReportsService) {}

  run({ marketplace_id, days }: MarketplacePerformanceArguments) {
    return this.performance.marketplaces(marketplace_id, days);
  }
}
