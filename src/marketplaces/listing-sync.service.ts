import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { exclusivelyOr } from '../core/advisory-lock.js';
import { SupplierCatalogService } from '../suppliers/supplier-catalog.service.js';
import { MarketplaceConnectors } from './connectors/marketplace-connectors.js';
import { Marketplace } from './entities/marketplace.entity.js';

/** Unlinked listings named in a sync's result; the listings API has them all (`?linked=false`). */
const UNLINKED_SHOWN = 50;

/**
 * Pulls a marketplace's products into listings, links each to a supplier product by SKU, and
 * marks listings the marketplace no longer has as "removed".
 */
@Injectable()
export class ListingSyncService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Marketplace) private readonly marketplaces: Repository<Marketplace>,
    private readonly connectors: MarketplaceConnectors,
    private readonly catalog: SupplierCatalogService,
  ) {}

  /** One sync per marketplace at a time; a second one returns at once, skipped. */
  async sync(marketplaceId: number) {
    return exclusivelyOr(this.db, 'marketplace_listings', marketplaceId, () => this.run(marketplaceId), { marketplace_id: marketplaceId, skipped: 'a sync of this marketplace is already running' });
  }

  private async run(marketplaceId: number) {
    const started = new Date();
    const { connector } = await this.connectors.forActive(marketplaceId);
    let listings = 0;
    let linked = 0;
    const unlinked: { sku: string | null; title: string; variant_id: string }[] = [];
    let unlinkedCount = 0;

    for await (const page of connector.listings()) {
      if (page.length === 0) continue;
      const matches = await this.catalog.matchSkus([...new Set(page.map((l) => l.sku).filter((sku): sku is string => sku !== null))]);
      const productIds = page.map((l) => (l.sku ? (matches.get(l.sku)?.id ?? null) : null));
      await this.db.query(
        `INSERT INTO marketplace_listings AS l (marketplace_id, external_product_id, external_variant_id, inventory_item_id, sku, title, price, status, supplier_product_id, synced_at)
         SELECT $1, product_id, variant_id, inventory_item_id, sku, title, price, status, supplier_product_id, $10
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::text[], $9::bigint[])
                AS v(product_id, variant_id, inventory_item_id, sku, title, price, status, supplier_product_id)
         ON CONFLICT (marketplace_id, external_variant_id) DO UPDATE SET
           external_product_id = EXCLUDED.external_product_id, inventory_item_id = EXCLUDED.inventory_item_id, sku = EXCLUDED.sku,
           title = EXCLUDED.title, price = EXCLUDED.price, status = EXCLUDED.status,
           supplier_product_id = EXCLUDED.supplier_product_id, synced_at = EXCLUDED.synced_at`,
        [
          marketplaceId,
          page.map((l) => l.productId),
          page.map((l) => l.variantId),
          page.map((l) => l.inventoryItemId),
          page.map((l) => l.sku),
          page.map((l) => l.title),
          page.map((l) => l.price),
          page.map((l) => l.status),
          productIds,
          started,
        ],
      );
      listings += page.length;
      page.forEach((listing, i) => {
        if (productIds[i] !== null) {
          linked++;
          return;
        }
        unlinkedCount++;
        if (unlinked.length < UNLINKED_SHOWN) unlinked.push({ sku: listing.sku, title: listing.title, variant_id: listing.variantId });
      });
    }

    const [, removed] = (await this.db.query(
      "UPDATE marketplace_listings SET status = 'removed' WHERE marketplace_id = $1 AND synced_at < $2 AND status <> 'removed'",
      [marketplaceId, started],
    )) as [unknown, number];
    await this.marketplaces.update(marketplaceId, { listingsSyncedAt: new Date() });
    return { marketplace_id: marketplaceId, listings, linked, unlinked: unlinkedCount, removed, unlinked_listings: unlinked, duration_ms: Date.now() - started.getTime() };
  }
}
