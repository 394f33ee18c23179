import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { CreateMarketplaceDto, ListingQuery, OrderQuery, UpdateMarketplaceDto } from './marketplace.dto.js';
import { MarketplacesService } from './marketplaces.service.js';

/** Marketplaces, listings and orders; syncs and fulfilments are triggered by enqueueing their tasks (202 with the run id). */
@Controller('api')
@UseGuards(AdminTokenGuard)
export class MarketplacesController {
  constructor(
    private readonly marketplaces: MarketplacesService,
    private readonly runner: TaskRunner,
  ) {}

  @Get('marketplaces')
  list() {
    return this.marketplaces.list();
  }

  @Post('marketplaces')
  create(@Body() body: CreateMarketplaceDto) {
    return this.marketplaces.create(body);
  }

  @Get('marketplaces/:id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.marketplaces.get(id);
  }

  @Patch('marketplaces/:id')
  update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateMarketplaceDto) {
    return this.marketplaces.update(id, body);
  }

  @Delete('marketplaces/:id')
  deactivate(@Param('id', ParseIntPipe) id: number) {
    return this.marketplaces.deactivate(id);
  }

  @Post('marketplaces/:id/sync/listings')
  @HttpCode(202)
  async syncListings(@Param('id', ParseIntPipe) id: number) {
    await this.marketplaces.find(id);
    return this.runner.enqueue({ task: 'sync_marketplace_listings', kwargs: { marketplace_id: id } });
  }

  @Post('marketplaces/:id/sync/orders')
  @HttpCode(202)
  async syncOrders(@Param('id', ParseIntPipe) id: number) {
    await this.marketplaces.find(id);
    return this.runner.enqueue({ task: 'sync_marketplace_orders', kwargs: { marketplace_id: id } });
  }

  /** Inventory is pushed to every active marketplace at once (sync_all_marketplace_inventory). */
  @Post('marketplaces/sync/inventory')
  @HttpCode(202)
  syncInventory() {
    return this.runner.enqueue({ task: 'sync_all_marketplace_inventory' });
  }

  @Get('listings')
  listings(@Query() query: ListingQuery) {
    return this.marketplaces.listListings(query);
  }

  @Get('orders')
  orders(@Query() query: OrderQuery) {
    return this.marketplaces.listOrders(query);
  }

  @Get('orders/:id')
  order(@Param('id', ParseIntPipe) id: number) {
    return this.marketplaces.order(String(id));
  }

  /** Body: {"tracking_number", "carrier", "tracking_url"?}, checked as fulfill_marketplace_order's arguments. */
  @Post('orders/:id/fulfill')
  @HttpCode(202)
  async fulfil(@Param('id', ParseIntPipe) id: number, @Body() body: Record<string, unknown>) {
    await this.marketplaces.order(String(id));
    return this.runner.enqueue({ task: 'fulfill_marketplace_order', kwargs: { ...body, order_id: id } });
  }
}
