import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Min } from 'class-validator';
import { TaskFailedError } from '../../core/errors.js';
import { Task, type TaskContext, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { SupplierSyncService, type SyncSummary } from '../supplier-sync.service.js';
import { SuppliersService } from '../suppliers.service.js';

export class UpdateSupplierInventoryArguments {
  /** One supplier; every active supplier when omitted. */
  @IsOptional() @IsInt() @Min(1)
  supplier_id?: number;
}

@Injectable()
@Task({
  name: 'update_supplier_inventory',
  queue: 'suppliers',
  description: 'Update stock and cost only (no new products, no discontinuation) for one supplier or all active ones',
  arguments: UpdateSupplierInventoryArguments,
  positional: ['supplier_id'],
})
export class UpdateSupplierInventoryTask implements TaskHandler<UpdateSupplierInventoryArguments> {
  constructor(
    private readonly sync: SupplierSyncService,
    private readonly suppliers: SuppliersService,
  ) {}

  async run({ supplier_id }: UpdateSupplierInventoryArguments, context: TaskContext) {
    if (supplier_id !== undefined) return this.sync.updateInventory(supplier_id, context.runId);
    // Every supplier gets its turn; one failing does not stop the rest, but fails the run at the end.
    const results: SyncSummary[] = [];
    const failures: string[] = [];
    for (const id of await this.suppliers.activeIds()) {
      try {
        results.push(await this.sync.updateInventory(id, context.runId));
      } catch (error) {
        failures.push(`supplier ${id}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) throw new TaskFailedError('update_supplier_inventory', context.runId, `${failures.length} supplier(s) failed (${results.length} updated):\n${failures.join('\n')}`);
    return { suppliers: results.length, updated: results.reduce((sum, r) => sum + r.updated, 0), results };
  }
}
