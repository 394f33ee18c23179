import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { UsageError } from '../core/errors.js';
import { MarketplaceConnectors } from './connectors/marketplace-connectors.js';
import { Fulfilment } from './entities/fulfilment.entity.js';
import { Order } from './entities/order.entity.js';
import { MarketplacesService } from './marketplaces.service.js';

export interface FulfilOrderRequest {
  orderId: string;
  trackingNumber: string;
  carrier: string;
  trackingUrl?: string;
}

/**
 * Tells the marketplace an order shipped. Idempotent twice over: the fulfilment row for
 * (order, tracking number) is locked while the marketplace is called, so a concurrent or
 * repeated run waits and then finds it done; and the connector looks for the shipment on the
 * marketplace before creating it, in case an earlier run got through and died before saving.
 */
@Injectable()
export class FulfilmentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: MarketplacesService,
    private readonly connectors: MarketplaceConnectors,
  ) {}

  async fulfil(request: FulfilOrderRequest) {
    const order = await this.directory.order(request.orderId);
    if (order.status === 'cancelled' || order.status === 'refunded') {
      throw new UsageError(`Order ${order.id} (${order.orderNumber}) is ${order.status}; it cannot be fulfilled.`);
    }
    const { connector } = await this.connectors.forActive(order.marketplaceId);

    return this.db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO marketplace_fulfilments (order_id, tracking_number, carrier, tracking_url, state) VALUES ($1, $2, $3, $4, 'pending')
         ON CONFLICT (order_id, tracking_number) DO NOTHING`,
        [order.id, request.trackingNumber, request.carrier, request.trackingUrl ?? null],
      );
      const fulfilment = await manager.getRepository(Fulfilment).createQueryBuilder('f').setLock('pessimistic_write')
        .where('f.order_id = :order AND f.tracking_number = :tracking', { order: order.id, tracking: request.trackingNumber }).getOneOrFail();
      if (fulfilment.state === 'created') {
        return { order_id: order.id, fulfilment_id: fulfilment.id, external_fulfilment_id: fulfilment.externalFulfilmentId, already_fulfilled: true };
      }
      const outcome = await connector.fulfil({ orderExternalId: order.externalId, trackingNumber: request.trackingNumber, carrier: request.carrier, trackingUrl: request.trackingUrl });
      await manager.update(Fulfilment, fulfilment.id, { state: 'created', externalFulfilmentId: outcome.externalId, carrier: request.carrier, trackingUrl: request.trackingUrl ?? null, completedAt: new Date() });
      await manager.update(Order, order.id, { status: 'fulfilled' });
      return { order_id: order.id, fulfilment_id: fulfilment.id, external_fulfilment_id: outcome.externalId, already_fulfilled: outcome.alreadyOnMarketplace };
    });
  }
}
