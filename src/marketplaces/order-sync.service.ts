import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { exclusivelyOr } from '../core/advisory-lock.js';
import { SupplierCatalogService } from '../suppliers/supplier-catalog.service.js';
import type { RemoteOrder } from './connectors/marketplace-connector.js';
import { MarketplaceConnectors } from './connectors/marketplace-connectors.js';
import { Marketplace } from './entities/marketplace.entity.js';

/**
 * Pulls orders updated since the marketplace's cursor and upserts them with their lines. A
 * line's unit cost is the linked supplier product's cost when the line is first seen, and is
 * never rewritten, so margins stay those of the day of the sale.
 */
@Injectable()
export class OrderSyncService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Marketplace) private readonly marketplaces: Repository<Marketplace>,
    private readonly connectors: MarketplaceConnectors,
    private readonly catalog: SupplierCatalogService,
  ) {}

  /** One sync per marketplace at a time; a second one returns at once, skipped. */
  async sync(marketplaceId: number) {
    return exclusivelyOr(this.db, 'marketplace_orders', marketplaceId, () => this.run(marketplaceId), { marketplace_id: marketplaceId, skipped: 'a sync of this marketplace is already running' });
  }

  private async run(marketplaceId: number) {
    const started = Date.now();
    const { marketplace, connector } = await this.connectors.forActive(marketplaceId);
    const since = marketplace.ordersCursor;
    let cursor = since;
    let orders = 0;
    let created = 0;
    let lines = 0;
    let linesWithoutCost = 0;

    for await (const page of connector.orders(since)) {
      const unique = [...new Map(page.map((order) => [order.externalId, order])).values()];
      if (unique.length === 0) continue;
      const outcome = await this.write(marketplaceId, unique);
      orders += unique.length;
      created += outcome.created;
      lines += outcome.lines;
      linesWithoutCost += outcome.linesWithoutCost;
      for (const order of unique) if (!cursor || order.updatedAt > cursor) cursor = order.updatedAt;
      // Saved page by page: a sync that fails later resumes from here, not from the start.
      await this.marketplaces.update(marketplaceId, { ordersCursor: cursor });
    }
    await this.marketplaces.update(marketplaceId, { ordersSyncedAt: new Date() });
    return {
      marketplace_id: marketplaceId,
      since: since?.toISOString() ?? null,
      orders,
      created,
      updated: orders - created,
      lines,
      lines_without_cost: linesWithoutCost,
      cursor: cursor?.toISOString() ?? null,
      duration_ms: Date.now() - started,
    };
  }

  private async write(marketplaceId: number, orders: RemoteOrder[]) {
    const skus = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.sku)).filter((sku): sku is string => sku !== null))];
    const matches = await this.catalog.matchSkus(skus);
    return this.db.transaction(async (manager) => {
      const saved = (await manager.query(
        `INSERT INTO marketplace_orders AS o (marketplace_id, external_id, order_number, status, platform_status, customer_country, currency, subtotal, total, placed_at, remote_updated_at, synced_at)
         SELECT $1, external_id, order_number, status, platform_status, customer_country, currency, subtotal, total, placed_at, remote_updated_at, now()
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::timestamptz[], $11::timestamptz[])
                AS v(external_id, order_number, status, platform_status, customer_country, currency, subtotal, total, placed_at, remote_updated_at)
         ON CONFLICT (marketplace_id, external_id) DO UPDATE SET
           order_number = EXCLUDED.order_number, status = EXCLUDED.status, platform_status = EXCLUDED.platform_status,
           customer_country = EXCLUDED.customer_country, currency = EXCLUDED.currency, subtotal = EXCLUDED.subtotal, total = EXCLUDED.total,
           placed_at = EXCLUDED.placed_at, remote_updated_at = EXCLUDED.remote_updated_at, synced_at = EXCLUDED.synced_at
         RETURNING id, external_id, (xmax = 0) AS inserted`,
        [
          marketplaceId,
          orders.map((o) => o.externalId),
          orders.map((o) => o.number),
          orders.map((o) => o.status),
          orders.map((o) => o.platformStatus),
          orders.map((o) => o.customerCountry?.toUpperCase().slice(0, 2) ?? null),
          orders.map((o) => o.currency),
          orders.map((o) => o.subtotal),
          orders.map((o) => o.total),
          orders.map((o) => o.placedAt),
          orders.map((o) => o.updatedAt),
        ],
      )) as { id: string; external_id: string; inserted: boolean }[];
      const ids = new Map(saved.map((row) => [row.external_id, row.id]));
      const lines = orders.flatMap((order) => order.lines.map((line) => ({ orderId: ids.get(order.externalId)!, line, match: line.sku ? matches.get(line.sku) : undefined })));
      if (lines.length > 0) {
        await manager.query(
          `INSERT INTO marketplace_order_lines AS l (order_id, external_line_id, sku, title, quantity, unit_price, unit_cost, supplier_product_id)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[], $6::numeric[], $7::numeric[], $8::bigint[])
           ON CONFLICT (order_id, external_line_id) DO UPDATE SET
             sku = EXCLUDED.sku, title = EXCLUDED.title, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
             unit_cost = COALESCE(l.unit_cost, EXCLUDED.unit_cost), supplier_product_id = COALESCE(l.supplier_product_id, EXCLUDED.supplier_product_id)`,
          [
            lines.map((l) => l.orderId),
            lines.map((l) => l.line.externalId),
            lines.map((l) => l.line.sku),
            lines.map((l) => l.line.title),
            lines.map((l) => l.line.quantity),
            lines.map((l) => l.line.unitPrice),
            lines.map((l) => l.match?.cost ?? null),
            lines.map((l) => l.match?.id ?? null),
          ],
        );
      }
      return { created: saved.filter((row) => row.inserted).length, lines: lines.length, linesWithoutCost: lines.filter((l) => !l.match).length };
    });
  }
}
