import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../core/http/admin-token.guard.js';
import { MarketplacesController } from './marketplaces.controller.js';
import { MarketplacesModule } from './marketplaces.module.js';

/** The marketplaces, listings and orders REST API (api role only). */
@Module({ imports: [MarketplacesModule], controllers: [MarketplacesController], providers: [AdminTokenGuard] })
export class MarketplacesHttpModule {}
