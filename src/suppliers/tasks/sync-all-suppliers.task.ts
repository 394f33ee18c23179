import { Injectable } from '@nestjs/common';
import { TaskRunner } from '../../core/tasks/task-runner.js';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { SuppliersService } from '../suppliers.service.js';

@Injectable()
@Task({ name: 'sync_all_suppliers', queue: 'suppliers', description: 'Enqueue sync_supplier_products for every active supplier; returns how many', attempts: 2 })
export class SyncAllSuppliersTask implements TaskHandler {
  constructor(
    private readonly suppliers: SuppliersService,
    private readonly runner: TaskRunner,
  ) {}

  async run() {
    const ids = await this.suppliers.activeIds();
    const queued = await this.runner.enqueueMany(ids.map((id) => ({ task: 'sync_supplier_products', kwargs: { supplier_id: id } })));
    return { enqueued: queued.length, supplier_ids: ids, run_ids: queued.map((q) => q.runId) };
  }
}
