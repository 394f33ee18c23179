import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface CatalogMatch {
  id: string;
  sku: string;
  cost: string;
  currency: string;
}

export interface Availability {
  stock: number;
  /** False when the product is discontinued or its supplier inactive: sell none of it. */
  sellable: boolean;
}

/** Answers "which products still matter?": given supplier product ids, returns those something else refers to. */
export type ReferenceCheck = (ids: string[]) => Promise<Set<string>>;

/**
 * What other modules may ask of the supplier catalogue. Marketplaces link listings and order
 * lines through it and register which products they refer to, so cleanup keeps those.
 */
@Injectable()
export class SupplierCatalogService {
  private readonly referenceChecks: ReferenceCheck[] = [];

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  registerReferences(check: ReferenceCheck): void {
    this.referenceChecks.push(check);
  }

  /** Ids among `ids` some module still refers to. */
  async referenced(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const check of this.referenceChecks) for (const id of await check(ids)) found.add(id);
    return found;
  }

  /**
   * The product each SKU links to. A SKU several suppliers carry links to a live product of an
   * active supplier first, then the cheapest.
   */
  async matchSkus(skus: string[]): Promise<Map<string, CatalogMatch>> {
    if (skus.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT DISTINCT ON (p.sku) p.id, p.sku, p.cost::text AS cost, p.currency
         FROM supplier_products p JOIN suppliers s ON s.id = p.supplier_id
        WHERE p.sku = ANY($1::text[])
        ORDER BY p.sku, (p.discontinued_at IS NULL AND s.is_active) DESC, p.cost, p.id`,
      [skus],
    )) as CatalogMatch[];
    return new Map(rows.map((row) => [row.sku, row]));
  }

  async availability(ids: string[]): Promise<Map<string, Availability>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT p.id, p.stock, (p.discontinued_at IS NULL AND s.is_active) AS sellable
         FROM supplier_products p JOIN suppliers s ON s.id = p.supplier_id WHERE p.id = ANY($1::bigint[])`,
      [ids],
    )) as (Availability & { id: string })[];
    return new Map(rows.map(({ id, ...availability }) => [id, availability]));
  }

  /** Live products in id order after `afterId`, with what AI work reads: text, attributes, content hash. */
  async productsForText(filter: { supplierId?: number; productIds?: string[]; afterId: string; limit: number }): Promise<CatalogText[]> {
    return (await this.db.query(
      `SELECT p.id, p.supplier_id, p.sku, p.title, p.description, p.attributes, p.content_hash, p.cost::text AS cost
         FROM supplier_products p
        WHERE p.discontinued_at IS NULL AND p.id > $1
          AND ($2::int IS NULL OR p.supplier_id = $2) AND ($3::bigint[] IS NULL OR p.id = ANY($3::bigint[]))
        ORDER BY p.id LIMIT $4`,
      [filter.afterId, filter.supplierId ?? null, filter.productIds ?? null, filter.limit],
    )) as CatalogText[];
  }

  /** Counts for the chat agent: products, live, out of stock, and the live ones running low. */
  async stockSummary(lowStockThreshold = 5, shown = 5) {
    const [counts] = (await this.db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE discontinued_at IS NULL)::int AS live,
              count(*) FILTER (WHERE discontinued_at IS NULL AND stock = 0)::int AS out_of_stock
         FROM supplier_products`,
    )) as { total: number; live: number; out_of_stock: number }[];
    const lowStock = (await this.db.query(
      'SELECT sku, title, stock FROM supplier_products WHERE discontinued_at IS NULL AND stock > 0 AND stock <= $1 ORDER BY stock, sku LIMIT $2',
      [lowStockThreshold, shown],
    )) as { sku: string; title: string; stock: number }[];
    return { total: counts.total, live: counts.live, outOfStock: counts.out_of_stock, lowStock };
  }
}

export interface CatalogText {
  id: string;
  supplier_id: number;
  sku: string;
  title: string;
  description: string;
  attributes: Record<string, unknown>;
  content_hash: string;
  cost: string;
}
