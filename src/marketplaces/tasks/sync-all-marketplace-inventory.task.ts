import { Injectable } from '@nestjs/common';
import { TaskFailedError } from '../../core/errors.js';
import { Task, type TaskContext, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { InventoryPushService } from '../inventory-push.service.js';
import { MarketplacesService } from '../marketplaces.service.js';

@Injectable()
@Task({
  name: 'sync_all_marketplace_inventory',
  queue: 'marketplaces',
  description: 'Push available quantities (supplier stock minus the safety buffer; 0 when discontinued) to every active marketplace, changed listings only',
})
export class SyncAllMarketplaceInventoryTask implements TaskHandler {
  constructor(
    private readonly marketplaces: MarketplacesService,
    private readonly pusher: InventoryPushService,
  ) {}

  async run(_args: object, context: TaskContext) {
    // Each marketplace gets its push; one failing does not stop the others, but fails the run at the end.
    const results = [];
    const failures: string[] = [];
    for (const marketplace of await this.marketplaces.active()) {
      try {
        results.push(await this.pusher.push(marketplace));
      } catch (error) {
        failures.push(`marketplace ${marketplace.id} ("${marketplace.name}"): ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) throw new TaskFailedError('sync_all_marketplace_inventory', context.runId, `${failures.length} marketplace(s) failed (${results.length} pushed):\n${failures.join('\n')}`);
    return { marketplaces: results.length, results };
  }
}
