import { Injectable } from '@nestjs/common';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { Task, type TaskContext, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { SupplierSyncService } from '../supplier-sync.service.js';

export class SyncSupplierProductsArguments {
  @IsInt() @Min(1)
  supplier_id!: number;

  /** Read the whole catalogue and discontinue what it no longer lists, even when the supplier supports incremental syncs. */
  @IsOptional() @IsBoolean()
  force_full_sync = false;
}

@Injectable()
@Task({
  name: 'sync_supplier_products',
  queue: 'suppliers',
  description: "Sync a supplier's catalogue: incremental when it can be, bulk upserts, unchanged rows skipped, bad rows counted and reported",
  arguments: SyncSupplierProductsArguments,
  positional: ['supplier_id', 'force_full_sync'],
})
export class SyncSupplierProductsTask implements TaskHandler<SyncSupplierProductsArguments> {
  constructor(private readonly sync: SupplierSyncService) {}

  run({ supplier_id, force_full_sync }: SyncSupplierProductsArguments, context: TaskContext) {
    return this.sync.syncProducts(supplier_id, { forceFull: force_full_sync, taskRunId: context.runId });
  }
}
