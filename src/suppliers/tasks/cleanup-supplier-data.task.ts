import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { SupplierRetentionService } from '../supplier-retention.service.js';

export class CleanupSupplierDataArguments {
  @IsOptional() @IsInt() @Min(1)
  days = 90;
}

@Injectable()
@Task({
  name: 'cleanup_supplier_data',
  queue: 'suppliers',
  description: 'Prune supplier sync runs and stock/cost history older than N days, and products discontinued that long that no listing or order uses',
  arguments: CleanupSupplierDataArguments,
  positional: ['days'],
})
export class CleanupSupplierDataTask implements TaskHandler<CleanupSupplierDataArguments> {
  constructor(private readonly retention: SupplierRetentionService) {}

  run({ days }: CleanupSupplierDataArguments) {
    return this.retention.prune(days);
  }
}
