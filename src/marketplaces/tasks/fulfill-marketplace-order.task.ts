import { Injectable } from '@nestjs/common';
import { IsInt, IsOptional, IsString, IsUrl, Length, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { FulfilmentService } from '../fulfilment.service.js';

export class FulfillMarketplaceOrderArguments {
  /** Dropflow's order id (GET /api/orders), not the marketplace's. */
  @IsInt() @Min(1)
  order_id!: number;

  @IsString() @Length(1, 200)
  tracking_number!: string;

  @IsString() @Length(1, 100)
  carrier!: string;

  @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  tracking_url?: string;
}

@Injectable()
@Task({
  name: 'fulfill_marketplace_order',
  queue: 'marketplaces',
  description: 'Create the fulfilment (carrier, tracking) on the marketplace; running it again does not fulfil twice',
  arguments: FulfillMarketplaceOrderArguments,
  positional: ['order_id', 'tracking_number', 'carrier', 'tracking_url'],
})
export class FulfillMarketplaceOrderTask implements TaskHandler<FulfillMarketplaceOrderArguments> {
  constructor(private readonly fulfilments: FulfilmentService) {}

  run({ order_id, tracking_number, carrier, tracking_url }: FulfillMarketplaceOrderArguments) {
    return this.fulfilments.fulfil({ orderId: String(order_id), trackingNumber: tracking_number, carrier, trackingUrl: tracking_url });
  }
}
