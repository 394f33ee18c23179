import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { contentHash, type InventoryInput, type ProductInput } from './connectors/product-row.js';

export interface ProductBatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** SKUs an earlier batch of the same run already wrote: the feed lists them twice. Not written again. */
  duplicates: string[];
}

export interface InventoryBatchOutcome {
  updated: number;
  unchanged: number;
  /** SKUs the supplier sent that are not in its catalogue (inventory updates never create products). */
  unknown: string[];
}

interface Existing {
  id: string;
  sku: string;
  content_hash: string;
  stock: number;
  cost: string;
  discontinued: boolean;
  seen_this_run: boolean;
}

interface StockChange {
  id: string;
  oldStock: number | null;
  newStock: number;
  oldCost: string | null;
  newCost: string;
}

/**
 * Writes a supplier's catalogue a batch at a time: one read of the batch's existing rows, then
 * one statement each for the upsert, the change history and the "seen" stamp, in a
 * transaction. A row whose content hash, stock and cost are unchanged is not rewritten.
 */
@Injectable()
export class SupplierCatalogWriter {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `products` must have distinct SKUs. Every product gets `last_seen_at = seenAt`. */
  async writeProducts(supplierId: number, runId: number, seenAt: Date, products: ProductInput[]): Promise<ProductBatchOutcome> {
    const existing = await this.existing(supplierId, products.map((p) => p.sku), seenAt);
    const writes: (ProductInput & { hash: string })[] = [];
    const changes: StockChange[] = [];
    const seen: string[] = [];
    const duplicates: string[] = [];
    let created = 0;
    for (const product of products) {
      const hash = contentHash(product);
      const before = existing.get(product.sku);
      if (before?.seen_this_run) {
        duplicates.push(product.sku);
      } else if (!before) {
        created++;
        writes.push({ ...product, hash });
      } else if (before.content_hash !== hash || before.stock !== product.stock || before.cost !== product.cost || before.discontinued) {
        writes.push({ ...product, hash });
        if (before.stock !== product.stock || before.cost !== product.cost) {
          changes.push({ id: before.id, oldStock: before.stock, newStock: product.stock, oldCost: before.cost, newCost: product.cost });
        }
      } else {
        seen.push(before.id);
      }
    }

    await this.db.transaction(async (manager) => {
      if (writes.length > 0) {
        await manager.query(
          `INSERT INTO supplier_products AS p (supplier_id, sku, title, description, images, cost, currency, stock, attributes, content_hash, first_seen_at, last_seen_at, updated_at)
           SELECT $1, sku, title, description, images::jsonb, cost, currency, stock, attributes::jsonb, hash, $11, $11, $11
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[], $8::int[], $9::text[], $10::text[])
                  AS v(sku, title, description, images, cost, currency, stock, attributes, hash)
           ON CONFLICT (supplier_id, sku) DO UPDATE SET
             title = EXCLUDED.title, description = EXCLUDED.description, images = EXCLUDED.images, cost = EXCLUDED.cost,
             currency = EXCLUDED.currency, stock = EXCLUDED.stock, attributes = EXCLUDED.attributes, content_hash = EXCLUDED.content_hash,
             last_seen_at = EXCLUDED.last_seen_at, updated_at = EXCLUDED.updated_at, discontinued_at = NULL`,
          [
            supplierId,
            writes.map((p) => p.sku),
            writes.map((p) => p.title),
            writes.map((p) => p.description),
            writes.map((p) => JSON.stringify(p.images)),
            writes.map((p) => p.cost),
            writes.map((p) => p.currency),
            writes.map((p) => p.stock),
            writes.map((p) => JSON.stringify(p.attributes)),
            writes.map((p) => p.hash),
            seenAt,
          ],
        );
      }
      await this.recordChanges(manager, runId, seenAt, changes);
      if (seen.length > 0) {
        await manager.query('UPDATE supplier_products SET last_seen_at = $2 WHERE id = ANY($1::bigint[])', [seen, seenAt]);
      }
    });
    return { created, updated: writes.length - created, unchanged: seen.length, duplicates };
  }

  /** Applies stock and cost to existing products; `items` must have distinct SKUs. */
  async writeInventory(supplierId: number, runId: number, items: InventoryInput[]): Promise<InventoryBatchOutcome> {
    const existing = await this.existing(supplierId, items.map((item) => item.sku));
    const changes: StockChange[] = [];
    const unknown: string[] = [];
    for (const item of items) {
      const before = existing.get(item.sku);
      if (!before) {
        unknown.push(item.sku);
        continue;
      }
      const newStock = item.stock ?? before.stock;
      const newCost = item.cost ?? before.cost;
      if (newStock !== before.stock || newCost !== before.cost) changes.push({ id: before.id, oldStock: before.stock, newStock, oldCost: before.cost, newCost });
    }
    if (changes.length > 0) {
      const now = new Date();
      await this.db.transaction(async (manager) => {
        await manager.query(
          `UPDATE supplier_products p SET stock = v.stock, cost = v.cost, updated_at = $4
             FROM unnest($1::bigint[], $2::int[], $3::numeric[]) AS v(id, stock, cost) WHERE p.id = v.id`,
          [changes.map((c) => c.id), changes.map((c) => c.newStock), changes.map((c) => c.newCost), now],
        );
        await this.recordChanges(manager, runId, now, changes);
      });
    }
    return { updated: changes.length, unchanged: items.length - changes.length - unknown.length, unknown };
  }

  /** After a full sync: products the feed no longer lists are marked discontinued. Returns how many. */
  async discontinueUnseen(supplierId: number, seenAt: Date): Promise<number> {
    const [, affected] = (await this.db.query(
      'UPDATE supplier_products SET discontinued_at = $2, updated_at = $2 WHERE supplier_id = $1 AND discontinued_at IS NULL AND last_seen_at < $2',
      [supplierId, seenAt],
    )) as [unknown, number];
    return affected;
  }

  /** `seenAt` marks the rows this run already wrote (a run stamps every row it sees with its start). */
  private async existing(supplierId: number, skus: string[], seenAt?: Date): Promise<Map<string, Existing>> {
    const rows = (await this.db.query(
      `SELECT id, sku, content_hash, stock, cost::text AS cost, discontinued_at IS NOT NULL AS discontinued, last_seen_at = $3 AS seen_this_run
         FROM supplier_products WHERE supplier_id = $1 AND sku = ANY($2::text[])`,
      [supplierId, skus, seenAt ?? null],
    )) as Existing[];
    return new Map(rows.map((row) => [row.sku, row]));
  }

  private async recordChanges(manager: EntityManager, runId: number, at: Date, changes: StockChange[]): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `INSERT INTO supplier_product_changes (supplier_product_id, sync_run_id, old_stock, new_stock, old_cost, new_cost, changed_at)
       SELECT id, $6, old_stock, new_stock, old_cost, new_cost, $7 FROM unnest($1::bigint[], $2::int[], $3::int[], $4::numeric[], $5::numeric[]) AS v(id, old_stock, new_stock, old_cost, new_cost)`,
      [changes.map((c) => c.id), changes.map((c) => c.oldStock), changes.map((c) => c.newStock), changes.map((c) => c.oldCost), changes.map((c) => c.newCost), runId, at],
    );
  }
}
