import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SuppliersModule } from '../suppliers/suppliers.module.js';
import { MarketplaceConnectors } from './connectors/marketplace-connectors.js';
import { Fulfilment } from './entities/fulfilment.entity.js';
import { Listing } from './entities/listing.entity.js';
import { Marketplace } from './entities/marketplace.entity.js';
import { OrderLine } from './entities/order-line.entity.js';
import { Order } from './entities/order.entity.js';
import { FulfilmentService } from './fulfilment.service.js';
import { InventoryPushService } from './inventory-push.service.js';
import { ListingPublisher } from './listing-publisher.service.js';
import { ListingSyncService } from './listing-sync.service.js';
import { MarketplacesService } from './marketplaces.service.js';
import { OrderSyncService } from './order-sync.service.js';
import { FulfillMarketplaceOrderTask } from './tasks/fulfill-marketplace-order.task.js';
import { SyncAllMarketplaceInventoryTask } from './tasks/sync-all-marketplace-inventory.task.js';
import { SyncAllMarketplaceOrdersTask } from './tasks/sync-all-marketplace-orders.task.js';
import { SyncMarketplaceListingsTask } from './tasks/sync-marketplace-listings.task.js';
import { SyncMarketplaceOrdersTask } from './tasks/sync-marketplace-orders.task.js';

/** Marketplaces: their connectors, listings, orders, inventory pushes, fulfilments and the marketplaces queue's tasks. */
@Module({
  imports: [TypeOrmModule.forFeature([Marketplace, Listing, Order, OrderLine, Fulfilment]), SuppliersModule],
  providers: [
    MarketplaceConnectors,
    MarketplacesService,
    ListingSyncService,
    OrderSyncService,
    InventoryPushService,
    FulfilmentService,
    ListingPublisher,
    SyncAllMarketplaceOrdersTask,
    SyncAllMarketplaceInventoryTask,
    SyncMarketplaceListingsTask,
    SyncMarketplaceOrdersTask,
    FulfillMarketplaceOrderTask,
  ],
  exports: [MarketplacesService, ListingPublisher],
})
export class MarketplacesModule {}
