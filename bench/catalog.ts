/**
 * Catalogue and marketplace figures for npm run bench: first and unchanged syncs of a
 * 100,000-product feed, a 1,000,000-row feed through a real worker process with its RSS
 * sampled, 10,000 changed quantities pushed to an emulated Shopify, and the ORM row by row
 * for comparison; then the AI, analytics and task history figures on the same context.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type pg from 'pg';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { MarketplacesService } from '../src/marketplaces/marketplaces.service.js';
import { SupplierProduct } from '../src/suppliers/entities/supplier-product.entity.js';
import { SuppliersService } from '../src/suppliers/suppliers.service.js';
import { ShopifyEmulator } from '../test/support/emulators/shopify.emulator.js';
import { aiFigures } from './ai.js';
import { analyticsFigures } from './analytics.js';
import { taskHistoryFigures } from './task-history.js';

type Report = (name: string, value: number, unit: string) => void;
type Boot = (env: Record<string, string>, cli: boolean) => Promise<INestApplicationContext>;

const FEED_ROWS = Number(process.env.BENCH_FEED_ROWS ?? 100_000);
const BIG_FEED_ROWS = Number(process.env.BENCH_BIG_FEED_ROWS ?? 1_000_000);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 10_000);
/** The emulated shop's call bucket: Shopify's leaky bucket, sized so 10,000 calls take seconds, not the hour a standard plan's 2/s would. */
const SHOP_BUCKET = 1000;
const SHOP_LEAK_PER_SECOND = 500;
const SHOP_RATE = 450;

async function writeFeed(path: string, rows: number, stockShift = 0): Promise<void> {
  const out = createWriteStream(path);
  out.write('sku,title,description,cost,stock,images\n');
  for (let i = 0; i < rows; i++) {
    const line = `SKU-${i},Product ${i} with a reasonably long title,"A description of product ${i}, as suppliers write them.",${(5 + (i % 100) / 10).toFixed(2)},${(i + stockShift) % 500},https://cdn.example/${i}.jpg\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function catalogFigures(baseEnv: Record<string, string>, db: pg.Client, dir: string, boot: Boot, report: Report): Promise<void> {
  const feedDir = join(dir, 'feeds');
  mkdirSync(feedDir, { recursive: true });
  const shop = await new ShopifyEmulator('shpat_bench', SHOP_BUCKET, SHOP_LEAK_PER_SECOND).start();
  const env = { ...baseEnv, SUPPLIER_FEED_DIR: feedDir, CREDENTIALS_KEY: 'b2'.repeat(32), SHOPIFY_REQUESTS_PER_SECOND: String(SHOP_RATE) };
  const client = await boot(env, true);
  try {
    const runner = client.get(TaskRunner);
    const suppliers = client.get(SuppliersService);

    await writeFeed(join(feedDir, 'feed.csv'), FEED_ROWS);
    const supplier = await suppliers.create({ name: 'Bench feed', kind: 'feed', settings: { path: 'feed.csv', format: 'csv' } });
    let t = performance.now();
    const first = (await runner.runNow({ task: 'sync_supplier_products', kwargs: { supplier_id: supplier.id } })).result as { created: number };
    if (first.created !== FEED_ROWS) throw new Error(`first sync created ${first.created} of ${FEED_ROWS}`);
    report(`feed sync, ${FEED_ROWS.toLocaleString('en-US')} new products (goal < 15 s)`, (performance.now() - t) / 1000, 's');
    t = performance.now();
    const same = (await runner.runNow({ task: 'sync_supplier_products', kwargs: { supplier_id: supplier.id } })).result as { unchanged: number };
    if (same.unchanged !== FEED_ROWS) throw new Error(`unchanged re-sync saw ${same.unchanged} unchanged of ${FEED_ROWS}`);
    report(`feed re-sync, ${FEED_ROWS.toLocaleString('en-US')} unchanged (goal < 5 s)`, (performance.now() - t) / 1000, 's');
    await writeFeed(join(feedDir, 'feed.csv'), FEED_ROWS, 1);
    t = performance.now();
    await runner.runNow({ task: 'sync_supplier_products', kwargs: { supplier_id: supplier.id } });
    report(`feed re-sync, ${FEED_ROWS.toLocaleString('en-US')} stock changes (with history rows)`, (performance.now() - t) / 1000, 's');

    await ormRowByRow(client, db, supplier.id, report, FEED_ROWS);
    await bigFeed(env, db, feedDir, runner, suppliers, report);
    await shopifyPush(client, db, shop, runner, report);
    await aiFigures(client, feedDir, report);
    await analyticsFigures(client, db, report);
    await taskHistoryFigures(client, db, report);
  } finally {
    await client.close();
    await shop.stop();
  }
}

/** The naive way, for the ratio: one repository.save per row. */
async function ormRowByRow(client: INestApplicationContext, db: pg.Client, supplierId: number, report: Report, bulkRows: number) {
  const repository = client.get<Repository<SupplierProduct>>(getRepositoryToken(SupplierProduct));
  const rows = 2000;
  const started = performance.now();
  for (let i = 0; i < rows; i++) {
    await repository.save(repository.create({ supplierId, sku: `ORM-${i}`, title: `Orm ${i}`, description: '', images: [], cost: '5.00', currency: 'USD', stock: i, attributes: {}, contentHash: 'x', firstSeenAt: new Date(), lastSeenAt: new Date(), updatedAt: new Date() }));
  }
  const perSecond = rows / ((performance.now() - started) / 1000);
  report('ORM repository.save row by row (2,000 rows)', perSecond, 'rows/s');
  report(`  = projected time for ${bulkRows.toLocaleString('en-US')} rows row by row`, bulkRows / perSecond, 's');
  await db.query("DELETE FROM supplier_products WHERE sku LIKE 'ORM-%'");
}

/** A million rows through a real worker process, sampling its RSS from /proc while it syncs. */
async function bigFeed(env: Record<string, string>, db: pg.Client, feedDir: string, runner: TaskRunner, suppliers: SuppliersService, report: Report) {
  await writeFeed(join(feedDir, 'big.csv'), BIG_FEED_ROWS);
  const supplier = await suppliers.create({ name: 'Bench big feed', kind: 'feed', settings: { path: 'big.csv', format: 'csv' } });
  const worker = spawn(process.execPath, ['dist-bench/src/main.js'], {
    env: { ...process.env, ...env, APP_ROLES: 'worker', WORKER_QUEUES: 'suppliers', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { runId } = await runner.enqueue({ task: 'sync_supplier_products', kwargs: { supplier_id: supplier.id } });
    const started = performance.now();
    let peak = 0;
    let done = false;
    const finished = runner.waitFor(runId, 600_000).finally(() => (done = true));
    while (!done) {
      const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = (await finished) as { created: number };
    if (result.created !== BIG_FEED_ROWS) throw new Error(`big sync created ${result.created} of ${BIG_FEED_ROWS}`);
    report(`feed sync, ${BIG_FEED_ROWS.toLocaleString('en-US')} rows, in a worker process`, (performance.now() - started) / 1000, 's');
    report('  worker peak RSS during that sync (goal < 300 MB)', peak, 'MB');
  } finally {
    worker.kill('SIGTERM');
    await once(worker, 'exit');
    await db.query('DELETE FROM supplier_products WHERE supplier_id = $1', [supplier.id]);
  }
}

/** 10,000 listings linked to the feed's products; their quantities pushed, then pushed again after nothing changed. */
async function shopifyPush(client: INestApplicationContext, db: pg.Client, shop: ShopifyEmulator, runner: TaskRunner, report: Report) {
  shop.products = Array.from({ length: PUSHES }, (_, i) => ({ id: 10_000 + i, title: `Product ${i}`, status: 'active', variants: [{ id: 20_000 + i, sku: `SKU-${i}`, title: 'Default Title', price: '19.99', inventory_item_id: 30_000 + i }] }));
  const marketplace = await client.get(MarketplacesService).create({
    name: 'Bench shop',
    platform: 'shopify',
    settings: { store_url: shop.url, location_id: String(shop.locationId), push_concurrency: 8 },
    credentials: { access_token: shop.token },
  });
  await runner.runNow({ task: 'sync_marketplace_listings', kwargs: { marketplace_id: marketplace.id } });
  const before = shop.requests.length;
  const started = performance.now();
  const { result } = (await runner.runNow({ task: 'sync_all_marketplace_inventory' })) as { result: { results: { pushed: number; calls: number; failed: number }[] } };
  const seconds = (performance.now() - started) / 1000;
  const push = result.results[0];
  const received = shop.requests.length - before;
  if (push.pushed !== PUSHES || push.failed !== 0) throw new Error(`pushed ${push.pushed}, failed ${push.failed}`);
  report(`Shopify push, ${PUSHES.toLocaleString('en-US')} changed quantities (bucket ${SHOP_BUCKET}, leak ${SHOP_LEAK_PER_SECOND}/s)`, seconds, 's');
  report('  calls the shop received per quantity changed (goal 1.0)', received / PUSHES, 'x');
  report('  429s the shop answered (wasted calls, goal 0)', shop.throttled, '');
  report('  achieved call rate (limit configured at ' + SHOP_RATE + '/s)', received / seconds, 'calls/s');
  const again = shop.requests.length;
  await runner.runNow({ task: 'sync_all_marketplace_inventory' });
  report('  calls on a second push with nothing changed (goal 0)', shop.requests.length - again, '');
  await db.query('DELETE FROM marketplace_listings');
}
