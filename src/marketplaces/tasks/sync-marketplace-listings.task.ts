import { Injectable } from '@nestjs/common';
import { IsInt, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { ListingSyncService } from '../listing-sync.service.js';

export class MarketplaceArguments {
  @IsInt() @Min(1)
  marketplace_id!: number;
}

@Injectable()
@Task({
  name: 'sync_marketplace_listings',
  queue: 'marketplaces',
  description: "Pull a marketplace's products into listings, link them to supplier products by SKU, report the unlinked",
  arguments: MarketplaceArguments,
  positional: ['marketplace_id'],
})
export class SyncMarketplaceListingsTask implements TaskHandler<MarketplaceArguments> {
  constructor(private readonly listings: ListingSyncService) {}

  run({ marketplace_id }: MarketplaceArguments) {
    return this.listings.sync(marketplace_id);
  }
}
