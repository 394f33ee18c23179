import { Injectable } from '@nestjs/common';
import { IsInt, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { SupplierSyncService } from '../supplier-sync.service.js';

export class TestSupplierConnectionArguments {
  @IsInt() @Min(1)
  supplier_id!: number;
}

@Injectable()
@Task({
  name: 'test_supplier_connection',
  queue: 'suppliers',
  description: 'Check a supplier is reachable, accepts its credentials and speaks the expected format; fails with what to fix',
  arguments: TestSupplierConnectionArguments,
  positional: ['supplier_id'],
  attempts: 1,
})
export class TestSupplierConnectionTask implements TaskHandler<TestSupplierConnectionArguments> {
  constructor(private readonly sync: SupplierSyncService) {}

  run({ supplier_id }: TestSupplierConnectionArguments) {
    return this.sync.testConnection(supplier_id);
  }
}
