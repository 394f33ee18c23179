import { Injectable } from '@nestjs/common';
import { TaskRunner } from '../../core/tasks/task-runner.js';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { MarketplacesService } from '../marketplaces.service.js';

@Injectable()
@Task({ name: 'sync_all_marketplace_orders', queue: 'marketplaces', description: 'Enqueue sync_marketplace_orders for every active marketplace; returns how many', attempts: 2 })
export class SyncAllMarketplaceOrdersTask implements TaskHandler {
  constructor(
    private readonly marketplaces: MarketplacesService,
    private readonly runner: TaskRunner,
  ) {}

  async run() {
    const ids = (await this.marketplaces.active()).map((m) => m.id);
    const queued = await this.runner.enqueueMany(ids.map((id) => ({ task: 'sync_marketplace_orders', kwargs: { marketplace_id: id } })));
    return { enqueued: queued.length, marketplace_ids: ids, run_ids: queued.map((q) => q.runId) };
  }
}
