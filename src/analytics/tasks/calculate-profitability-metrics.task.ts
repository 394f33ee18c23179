import { Injectable } from '@nestjs/common';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import type { MetricPeriod } from '../entities/profitability-metric.entity.js';
import { ProfitabilityService } from '../profitability.service.js';

export class CalculateProfitabilityArguments {
  @IsOptional() @IsIn(['day', 'week', 'month'])
  period: MetricPeriod = 'day';

  /** First business day (YYYY-MM-DD); yesterday when omitted. Widened to whole periods. */
  @IsOptional() @IsISO8601({ strict: true })
  start?: string;

  /** Last business day; `start` when omitted. */
  @IsOptional() @IsISO8601({ strict: true })
  end?: string;
}

@Injectable()
@Task({
  name: 'calculate_profitability_metrics',
  queue: 'analytics',
  description: 'Revenue, cost, fees, shipping, gross profit and margin per period, in total and per marketplace, supplier and product; replaces the range',
  arguments: CalculateProfitabilityArguments,
  positional: ['period', 'start', 'end'],
})
export class CalculateProfitabilityMetricsTask implements TaskHandler<CalculateProfitabilityArguments> {
  constructor(private readonly profitability: ProfitabilityService) {}

  run({ period, start, end }: CalculateProfitabilityArguments) {
    return this.profitability.calculate(period, start?.slice(0, 10), end?.slice(0, 10));
  }
}
