import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SupplierCatalogService } from './supplier-catalog.service.js';

const BATCH = 1000;

/** Prunes what suppliers accumulate: old sync runs, old change history, long-discontinued products nothing refers to. */
@Injectable()
export class SupplierRetentionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalog: SupplierCatalogService,
  ) {}

  async prune(days: number): Promise<{ days: number; sync_runs: number; changes: number; products: number; products_kept: number }> {
    const cutoff = new Date(Date.now() - days * 86_400_000);
    const changes = await this.affected('DELETE FROM supplier_product_changes WHERE changed_at < $1', [cutoff]);
    const syncRuns = await this.affected("DELETE FROM supplier_sync_runs WHERE state <> 'running' AND started_at < $1", [cutoff]);

    let products = 0;
    let productsKept = 0;
    let after = '0';
    for (;;) {
      const rows = (await this.db.query(
        'SELECT id FROM supplier_products WHERE discontinued_at < $1 AND id > $2 ORDER BY id LIMIT $3',
        [cutoff, after, BATCH],
      )) as { id: string }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const ids = rows.map((row) => row.id);
      const referenced = await this.catalog.referenced(ids);
      const unreferenced = ids.filter((id) => !referenced.has(id));
      productsKept += referenced.size;
      if (unreferenced.length > 0) products += await this.affected('DELETE FROM supplier_products WHERE id = ANY($1::bigint[])', [unreferenced]);
    }
    return { days, sync_runs: syncRuns, changes, products, products_kept: productsKept };
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const [, count] = (await this.db.query(sql, params)) as [unknown, number];
    return count;
  }
}
