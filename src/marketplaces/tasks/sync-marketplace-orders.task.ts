import { Injectable } from '@nestjs/common';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { OrderSyncService } from '../order-sync.service.js';
import { MarketplaceArguments } from './sync-marketplace-listings.task.js';

@Injectable()
@Task({
  name: 'sync_marketplace_orders',
  queue: 'marketplaces',
  description: 'Pull orders updated since the last sync; upsert them and their lines with the unit cost of the day',
  arguments: MarketplaceArguments,
  positional: ['marketplace_id'],
})
export class SyncMarketplaceOrdersTask implements TaskHandler<MarketplaceArguments> {
  constructor(private readonly orders: OrderSyncService) {}

  run({ marketplace_id }: MarketplaceArguments) {
    return this.orders.sync(marketplace_id);
  }
}
