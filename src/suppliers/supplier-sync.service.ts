import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { tryWithAdvisoryLock } from '../core/advisory-lock.js';
import { UsageError } from '../core/errors.js';
import { LogService } from '../core/logging/log.service.js';
import type { InventoryInput, ProductInput, RawRow } from './connectors/product-row.js';
import type { ConnectionCheck } from './connectors/supplier-connector.js';
import { SupplierConnectors } from './connectors/supplier-connectors.js';
import { Supplier } from './entities/supplier.entity.js';
import { SupplierSyncRun, type RowError, type SupplierSyncKind } from './entities/supplier-sync-run.entity.js';
import { SupplierCatalogWriter } from './supplier-catalog.writer.js';
import { SuppliersService } from './suppliers.service.js';

/** A run keeps this many failed rows with their reasons; it counts them all. */
export const MAX_RECORDED_ROW_ERRORS = 100;
/** Incremental syncs ask for changes since the last sync's start minus this, so a supplier clock running behind loses nothing. */
const CURSOR_OVERLAP_MS = 60_000;

/** A task's result, so its keys are snake_case like task arguments. */
export interface SyncSummary {
  supplier_id: number;
  sync_run_id?: number;
  kind?: SupplierSyncKind;
  skipped?: string;
  created: number;
  updated: number;
  unchanged: number;
  discontinued: number;
  failed: number;
  unknown_skus?: number;
  duration_ms: number;
  errors: RowError[];
}

/**
 * Runs a supplier's product sync and inventory update: reads the connector's records, maps
 * them, writes them in batches (the next batch is read while the last one is written), and
 * keeps the run's counts and failed rows in supplier_sync_runs. One sync per supplier at a
 * time, held by a Postgres advisory lock, so a scheduled sync and a manual one never interleave.
 */
@Injectable()
export class SupplierSyncService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(SupplierSyncRun) private readonly runs: Repository<SupplierSyncRun>,
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    private readonly directory: SuppliersService,
    private readonly connectors: SupplierConnectors,
    private readonly writer: SupplierCatalogWriter,
    private readonly log: LogService,
  ) {}

  async testConnection(supplierId: number): Promise<ConnectionCheck & { supplier_id: number }> {
    const supplier = await this.directory.find(supplierId);
    const { connector } = this.connectors.connect(supplier, await this.directory.encryptedCredentials(supplierId), { maxRetries: 0 });
    return { supplier_id: supplierId, ...(await connector.testConnection()) };
  }

  async syncProducts(supplierId: number, options: { forceFull?: boolean; taskRunId?: string } = {}): Promise<SyncSummary> {
    const supplier = await this.activeSupplier(supplierId);
    const { connector, mapper } = this.connectors.connect(supplier, await this.directory.encryptedCredentials(supplierId));
    const kind: SupplierSyncKind = options.forceFull || !connector.supportsIncremental || !supplier.syncCursor ? 'full' : 'incremental';
    const updatedSince = kind === 'incremental' ? new Date(supplier.syncCursor!.getTime() - CURSOR_OVERLAP_MS) : undefined;

    return this.exclusive(supplier, kind, options.taskRunId, async (run, tally) => {
      const seenAt = run.startedAt;
      await this.inBatches(connector.records({ updatedSince }), (record) => mapper.product(record), tally, async (batch: ProductInput[], lines, fail) => {
        const outcome = await this.writer.writeProducts(supplierId, run.id, seenAt, batch);
        tally.created += outcome.created;
        tally.updated += outcome.updated;
        tally.unchanged += outcome.unchanged;
        for (const sku of outcome.duplicates) fail({ line: lines.get(sku) ?? 0, sku, reason: 'duplicate SKU (an earlier row of this feed has it); this row was ignored' });
      });
      if (kind === 'full') {
        if (tally.created + tally.updated + tally.unchanged === 0 && (await this.hasLiveProducts(supplierId))) {
          throw new UsageError(`The feed of supplier "${supplier.name}" had no usable rows (${tally.failed} failed), so no product was marked discontinued. Check the feed and its column mapping ("test_supplier_connection ${supplierId}").`);
        }
        tally.discontinued = await this.writer.discontinueUnseen(supplierId, seenAt);
      }
    });
  }

  /** Stock and cost only: no new products, no discontinuation; a fast path between full syncs. */
  async updateInventory(supplierId: number, taskRunId?: string): Promise<SyncSummary> {
    const supplier = await this.activeSupplier(supplierId);
    const { connector, mapper } = this.connectors.connect(supplier, await this.directory.encryptedCredentials(supplierId));
    return this.exclusive(supplier, 'inventory', taskRunId, async (run, tally) => {
      await this.inBatches(connector.inventoryRecords(), (record) => mapper.inventory(record), tally, async (batch: InventoryInput[]) => {
        const outcome = await this.writer.writeInventory(supplierId, run.id, batch);
        tally.updated += outcome.updated;
        tally.unchanged += outcome.unchanged;
        tally.unknown_skus = (tally.unknown_skus ?? 0) + outcome.unknown.length;
      });
    });
  }

  private async activeSupplier(supplierId: number): Promise<Supplier> {
    const supplier = await this.directory.find(supplierId);
    if (!supplier.isActive) throw new UsageError(`Supplier ${supplierId} ("${supplier.name}") is inactive; activate it (PATCH /api/suppliers/${supplierId} {"is_active": true}) to sync it.`);
    return supplier;
  }

  /**
   * Runs `body` under the supplier's sync lock with a sync run row that ends up holding the
   * counts, the failed rows, and the outcome. Returns at once, skipped, when a sync of the
   * same supplier holds the lock.
   */
  private async exclusive(
    supplier: Supplier,
    kind: SupplierSyncKind,
    taskRunId: string | undefined,
    body: (run: SupplierSyncRun, tally: SyncSummary) => Promise<void>,
  ): Promise<SyncSummary> {
    const started = Date.now();
    const tally: SyncSummary = { supplier_id: supplier.id, kind, created: 0, updated: 0, unchanged: 0, discontinued: 0, failed: 0, duration_ms: 0, errors: [] };
    const outcome = await tryWithAdvisoryLock(this.db, 'supplier_sync', supplier.id, async () => {
      const run = await this.runs.save(this.runs.create({ supplierId: supplier.id, kind, state: 'running', taskRunId: taskRunId ?? null, startedAt: new Date(), errors: [] }));
      tally.sync_run_id = run.id;
      await this.suppliers.update(supplier.id, { lastSyncStatus: 'running' });
      try {
        await body(run, tally);
      } catch (error) {
        await this.finish(run, tally, error as Error);
        throw error;
      }
      await this.finish(run, tally);
      this.log.forFile('suppliers').info({ supplierId: supplier.id, syncRunId: run.id, kind, ...counts(tally) }, 'supplier sync finished');
    });
    if (!outcome.locked) return { ...tally, kind: undefined, skipped: `a sync of supplier ${supplier.id} is already running`, duration_ms: Date.now() - started };
    return { ...tally, duration_ms: Date.now() - started };
  }

  private async finish(run: SupplierSyncRun, tally: SyncSummary, error?: Error): Promise<void> {
    const finishedAt = new Date();
    await this.runs.update(run.id, { state: error ? 'failed' : 'succeeded', finishedAt, errors: tally.errors, error: error?.message ?? null, ...counts(tally) });
    await this.suppliers.update(run.supplierId, {
      lastSyncAt: finishedAt,
      lastSyncStatus: error ? 'failed' : 'succeeded',
      lastSyncError: error?.message ?? null,
      // Only product syncs that read everything move the cursor; an inventory pass does not see new products.
      ...(error || run.kind === 'inventory' ? {} : { syncCursor: run.startedAt }),
    });
  }

  /**
   * Maps records and hands them to `write` in batches of distinct SKUs, reading the next batch
   * while the previous one is written. Unusable rows are counted and the first ones kept.
   */
  private async inBatches<T extends { sku: string }>(
    rows: AsyncIterable<RawRow>,
    map: (record: Record<string, unknown>) => T | string,
    tally: SyncSummary,
    write: (batch: T[], lines: Map<string, number>, fail: (error: RowError) => void) => Promise<void>,
  ): Promise<void> {
    const fail = (error: RowError) => {
      tally.failed++;
      if (tally.errors.length < MAX_RECORDED_ROW_ERRORS) tally.errors.push(error);
    };
    let batch: T[] = [];
    let lines = new Map<string, number>();
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      writing = write(batch, lines, fail);
      batch = [];
      lines = new Map();
      // Surface a failed write at the next await, not as an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    };
    for await (const row of rows) {
      if ('error' in row) {
        fail({ line: row.line, reason: row.error });
        continue;
      }
      const mapped = map(row.record);
      if (typeof mapped === 'string') {
        const sku = row.record[Object.keys(row.record).find((key) => key.toLowerCase() === 'sku') ?? 'sku'];
        fail({ line: row.line, ...(typeof sku === 'string' && sku ? { sku } : {}), reason: mapped });
        continue;
      }
      const earlier = lines.get(mapped.sku);
      if (earlier !== undefined) {
        fail({ line: row.line, sku: mapped.sku, reason: `duplicate SKU (first on line ${earlier}); this row was ignored` });
        continue;
      }
      lines.set(mapped.sku, row.line);
      batch.push(mapped);
      if (batch.length >= this.config.catalog.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    await writing;
  }

  private async hasLiveProducts(supplierId: number): Promise<boolean> {
    const rows = (await this.db.query('SELECT 1 FROM supplier_products WHERE supplier_id = $1 AND discontinued_at IS NULL LIMIT 1', [supplierId])) as unknown[];
    return rows.length > 0;
  }
}

function counts(tally: SyncSummary) {
  return { created: tally.created, updated: tally.updated, unchanged: tally.unchanged, discontinued: tally.discontinued, failed: tally.failed };
}
