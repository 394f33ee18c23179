import { Injectable } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { AiBudgetPolicy } from '../ai-budget.policy.js';
import { ListingDraftsService } from '../listing-drafts.service.js';

export class GenerateMarketplaceListingsArguments {
  @IsInt() @Min(1)
  marketplace_id!: number;

  /** These products; otherwise live products the marketplace does not sell yet. */
  @IsOptional() @IsArray() @ArrayMaxSize(10000) @IsInt({ each: true })
  product_ids?: number[];

  @IsOptional() @IsInt() @Min(1) @Max(10000)
  limit = 100;

  @IsOptional() @IsIn(['embedded', 'openai'])
  provider?: string;
}

@Injectable()
@Task({
  name: 'generate_marketplace_listings',
  queue: 'ai_processing',
  description: "Write listing drafts (title, description, bullet points, tags) within the marketplace's limits, in the store's tone",
  arguments: GenerateMarketplaceListingsArguments,
  positional: ['marketplace_id', 'product_ids', 'limit'],
})
export class GenerateMarketplaceListingsTask implements TaskHandler<GenerateMarketplaceListingsArguments> {
  constructor(
    private readonly drafts: ListingDraftsService,
    private readonly budget: AiBudgetPolicy,
  ) {}

  run(args: GenerateMarketplaceListingsArguments) {
    return this.budget.run('generate_marketplace_listings', { ...args }, () =>
      this.drafts.generateMany({ marketplaceId: args.marketplace_id, productIds: args.product_ids?.map(String), limit: args.limit, provider: args.provider }),
    );
  }
}
