import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { exclusivelyOr } from '../core/advisory-lock.js';
import { AppConfig } from '../config/app-config.js';
import { SupplierCatalogService } from '../suppliers/supplier-catalog.service.js';
import type { QuantityUpdate } from './connectors/marketplace-connector.js';
import { MarketplaceConnectors } from './connectors/marketplace-connectors.js';
import { Marketplace } from './entities/marketplace.entity.js';
import { parseMarketplaceSettings } from './marketplace-settings.js';

const CHUNK = 1000;
const ERRORS_SHOWN = 20;

export interface PushSummary {
  marketplace_id: number;
  checked: number;
  changed: number;
  pushed: number;
  failed: number;
  calls: number;
  errors: { listing_id: string; error: string }[];
  duration_ms: number;
}

/**
 * Sets each linked listing's quantity on the marketplace to what the supplier can ship: its
 * stock minus the safety buffer, or zero once discontinued or its supplier inactive. Only
 * listings whose quantity differs from the last one pushed are sent; a listing that failed
 * keeps its old value and is tried again next time.
 */
@Injectable()
export class InventoryPushService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Marketplace) private readonly marketplaces: Repository<Marketplace>,
    private readonly connectors: MarketplaceConnectors,
    private readonly catalog: SupplierCatalogService,
  ) {}

  /** One push per marketplace at a time; a second one returns at once, skipped. */
  async push(marketplace: Marketplace): Promise<PushSummary | { marketplace_id: number; skipped: string }> {
    return exclusivelyOr(this.db, 'marketplace_inventory', marketplace.id, () => this.run(marketplace), { marketplace_id: marketplace.id, skipped: 'a push to this marketplace is already running' });
  }

  private async run(marketplace: Marketplace): Promise<PushSummary> {
    const started = Date.now();
    const buffer = parseMarketplaceSettings(marketplace.settings).safety_buffer ?? this.config.catalog.safetyBuffer;
    const connector = await this.connectors.forMarketplace(marketplace);
    const summary: PushSummary = { marketplace_id: marketplace.id, checked: 0, changed: 0, pushed: 0, failed: 0, calls: 0, errors: [], duration_ms: 0 };

    let after = '0';
    for (;;) {
      const listings = (await this.db.query(
        `SELECT id, external_product_id, external_variant_id, inventory_item_id, supplier_product_id, quantity_pushed
           FROM marketplace_listings
          WHERE marketplace_id = $1 AND supplier_product_id IS NOT NULL AND status <> 'removed' AND id > $2
          ORDER BY id LIMIT $3`,
        [marketplace.id, after, CHUNK],
      )) as { id: string; external_product_id: string; external_variant_id: string; inventory_item_id: string | null; supplier_product_id: string; quantity_pushed: number | null }[];
      if (listings.length === 0) break;
      after = listings[listings.length - 1].id;
      summary.checked += listings.length;

      const availability = await this.catalog.availability([...new Set(listings.map((l) => l.supplier_product_id))]);
      const updates: QuantityUpdate[] = [];
      for (const listing of listings) {
        const product = availability.get(listing.supplier_product_id);
        const quantity = product?.sellable ? Math.max(0, product.stock - buffer) : 0;
        if (quantity !== listing.quantity_pushed) {
          updates.push({ listingId: listing.id, productId: listing.external_product_id, variantId: listing.external_variant_id, inventoryItemId: listing.inventory_item_id, quantity });
        }
      }
      if (updates.length === 0) continue;
      summary.changed += updates.length;

      const outcome = await connector.pushQuantities(updates);
      summary.calls += outcome.calls;
      summary.pushed += outcome.pushed.length;
      summary.failed += outcome.failed.length;
      for (const failure of outcome.failed.slice(0, ERRORS_SHOWN - summary.errors.length)) summary.errors.push({ listing_id: failure.listingId, error: failure.error });
      const quantities = new Map(updates.map((u) => [u.listingId, u.quantity]));
      if (outcome.pushed.length > 0) {
        await this.db.query(
          'UPDATE marketplace_listings l SET quantity_pushed = v.quantity, pushed_at = now() FROM unnest($1::bigint[], $2::int[]) AS v(id, quantity) WHERE l.id = v.id',
          [outcome.pushed, outcome.pushed.map((id) => quantities.get(id))],
        );
      }
    }
    await this.marketplaces.update(marketplace.id, { inventoryPushedAt: new Date() });
    return { ...summary, duration_ms: Date.now() - started };
  }
}
