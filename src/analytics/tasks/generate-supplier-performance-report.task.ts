import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { PerformanceReportsService } from '../performance-reports.service.js';

export class SupplierPerformanceArguments {
  @IsOptional() @IsInt() @Min(1)
  supplier_id?: number;

  @IsOptional() @IsInt() @Min(1) @Max(3660)
  days = 30;
}

@Injectable()
@Task({
  name: 'generate_supplier_performance_report',
  queue: 'analytics',
  description: 'Per supplier: sync success and duration, active and discontinued products, stock-outs, cost changes, order-to-fulfilment time, share of revenue and profit',
  arguments: SupplierPerformanceArguments,
  positional: ['supplier_id', 'days'],
})
export class GenerateSupplierPerformanceReportTask implements TaskHandler<SupplierPerformanceArguments> {
  constructor(private readonly performance: PerformanceReportsService) {}

  run({ supplier_id, days }: SupplierPerformanceArguments) {
    return this.performance.suppliers(supplier_id, days);
  }
}
