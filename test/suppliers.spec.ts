import type { INestApplication } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { bootApp } from './support/app.js';
import { SupplierApiEmulator } from './support/emulators/supplier-api.emulator.js';
import { createTestEnv, eventually, freePort, TEST_TOKEN, type TestEnv } from './support/test-env.js';

const CSV_HEADER = 'SKU,Name,Price,Qty,Colour\n';
const csvRow = (i: number, qty = 10, price = '9.50') => `SKU-${i},Widget ${i},${price},${qty},red\n`;

describe('suppliers', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let runner: TaskRunner;
  let api: SupplierApiEmulator;

  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'api,worker', WORKER_QUEUES: 'suppliers', SUPPLIER_SYNC_BATCH_SIZE: '3' });
    api = await new SupplierApiEmulator().start();
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
    runner = app.get(TaskRunner);
  });
  afterAll(async () => {
    await app?.close();
    await api?.stop();
    await t.cleanup();
  });

  const http = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Runs the task through the queue and a worker, as the scheduler would. */
  const runQueued = async (task: string, kwargs: Record<string, unknown>) => {
    const { runId } = await runner.enqueue({ task, kwargs });
    return (await runner.waitFor(runId, 30000)) as any;
  };
  const products = async (supplierId: number) =>
    (await t.db.query('SELECT sku, title, cost::text AS cost, stock, currency, attributes, discontinued_at, updated_at FROM supplier_products WHERE supplier_id = $1 ORDER BY sku', [supplierId])).rows;
  const createSupplier = async (body: Record<string, unknown>) => {
    const { status, body: created } = await http('POST', '/api/suppliers', body);
    expect(status).toBe(201);
    return created.id as number;
  };
  const feedColumns = { sku: 'SKU', title: 'Name', cost: 'Price', stock: 'Qty' };

  it('creates a supplier with write-only, encrypted credentials and rejects bad settings with every problem named', async () => {
    const created = await http('POST', '/api/suppliers', {
      name: 'Acme feed',
      kind: 'feed',
      settings: { url: `${api.url}/feeds/acme.csv`, format: 'csv', columns: feedColumns },
      credentials: { token: api.token },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme feed', kind: 'feed', isActive: true, hasCredentials: true });
    expect(JSON.stringify(created.body)).not.toContain(api.token);
    expect(created.body.credentials).toBeUndefined();
    const [stored] = (await t.db.query('SELECT credentials FROM suppliers WHERE id = $1', [created.body.id])).rows;
    expect(stored.credentials).toMatch(/^v1\./);
    expect(stored.credentials).not.toContain(api.token);

    const listed = await http('GET', '/api/suppliers');
    expect(JSON.stringify(listed.body)).not.toContain(api.token);

    const bad = await http('POST', '/api/suppliers', { name: 'Bad', kind: 'feed', settings: { format: 'xml', currency: 'dollars' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('settings.format');
    expect(bad.body.message).toContain('ISO 4217');
    expect(bad.body.message).toContain('exactly one of url');

    const duplicate = await http('POST', '/api/suppliers', { name: 'Acme feed', kind: 'feed', settings: { path: 'x.csv' } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.message).toContain('already exists');

    const missing = await http('GET', '/api/suppliers/9999');
    expect(missing.status).toBe(404);
  });

  it('syncs a CSV feed over HTTP through a worker: malformed rows are skipped, counted and recorded; the rest lands', async () => {
    api.feeds.set('acme.csv', CSV_HEADER + csvRow(1) + 'SKU-2,Widget 2,abc,5,blue\n' + csvRow(3) + 'SKU-4,Too few columns\n' + csvRow(5) + ',No sku,1.00,1,x\n' + csvRow(6) + csvRow(1, 99));
    const supplierId = (await http('GET', '/api/suppliers')).body.find((s: any) => s.name === 'Acme feed').id;
    await http('PATCH', `/api/suppliers/${supplierId}`, { settings: { url: `${api.url}/feeds/acme.csv`, format: 'csv', columns: feedColumns, attribute_columns: ['Colour'] } });

    const result = await runQueued('sync_supplier_products', { supplier_id: supplierId });
    expect(result).toMatchObject({ kind: 'full', created: 4, updated: 0, unchanged: 0, discontinued: 0 });
    expect(result.failed).toBeGreaterThanOrEqual(3);
    const reasons = result.errors.map((e: any) => e.reason).join('\n');
    expect(reasons).toContain('cost "abc"');
    expect(reasons).toContain('no SKU');
    expect(reasons).toContain('duplicate SKU');
    expect(result.errors.find((e: any) => e.reason.includes('cost'))).toMatchObject({ line: 2, sku: 'SKU-2' });

    const rows = await products(supplierId);
    expect(rows.map((r: any) => r.sku)).toEqual(['SKU-1', 'SKU-3', 'SKU-5', 'SKU-6']);
    expect(rows[0]).toMatchObject({ title: 'Widget 1', cost: '9.50', stock: 10, currency: 'USD', attributes: { Colour: 'red' } });

    const [run] = (await t.db.query('SELECT * FROM supplier_sync_runs WHERE id = $1', [result.sync_run_id])).rows;
    expect(run).toMatchObject({ state: 'succeeded', kind: 'full', created: 4, failed: result.failed });
    expect(run.errors.length).toBe(result.failed);
    expect(api.requestsTo('GET', '/feeds/acme.csv').at(-1)!.headers.authorization).toBe(`Bearer ${api.token}`);
  });

  it('re-syncs an unchanged feed without rewriting rows, records stock and cost changes, and discontinues what vanished', async () => {
    const supplierId = (await http('GET', '/api/suppliers')).body.find((s: any) => s.name === 'Acme feed').id;
    api.feeds.set('acme.csv', CSV_HEADER + csvRow(1) + csvRow(3) + csvRow(5) + csvRow(6));
    const before = await products(supplierId);
    const same = await runQueued('sync_supplier_products', { supplier_id: supplierId });
    expect(same).toMatchObject({ created: 0, updated: 0, unchanged: 4, discontinued: 0, failed: 0 });
    expect((await products(supplierId)).map((r: any) => r.updated_at.getTime())).toEqual(before.map((r: any) => r.updated_at.getTime()));

    api.feeds.set('acme.csv', CSV_HEADER + csvRow(1, 7) + csvRow(3, 10, '11.00') + csvRow(6) + csvRow(8));
    const changed = await runQueued('sync_supplier_products', { supplier_id: supplierId, force_full_sync: true });
    expect(changed).toMatchObject({ created: 1, updated: 2, unchanged: 1, discontinued: 1 });
    const rows = await products(supplierId);
    expect(rows.find((r: any) => r.sku === 'SKU-5').discontinued_at).toBeInstanceOf(Date);
    expect(rows.find((r: any) => r.sku === 'SKU-1').stock).toBe(7);
    const history = (await t.db.query('SELECT p.sku, c.old_stock, c.new_stock, c.old_cost::text AS old_cost, c.new_cost::text AS new_cost FROM supplier_product_changes c JOIN supplier_products p ON p.id = c.supplier_product_id ORDER BY p.sku')).rows;
    expect(history).toEqual([
      { sku: 'SKU-1', old_stock: 10, new_stock: 7, old_cost: '9.50', new_cost: '9.50' },
      { sku: 'SKU-3', old_stock: 10, new_stock: 10, old_cost: '9.50', new_cost: '11.00' },
    ]);

    // A product that comes back is live again.
    api.feeds.set('acme.csv', CSV_HEADER + csvRow(1, 7) + csvRow(3, 10, '11.00') + csvRow(5) + csvRow(6) + csvRow(8));
    const back = await runQueued('sync_supplier_products', { supplier_id: supplierId });
    expect(back).toMatchObject({ created: 0, updated: 1, unchanged: 4, discontinued: 0 });
    expect((await products(supplierId)).find((r: any) => r.sku === 'SKU-5').discontinued_at).toBeNull();
  });

  it('refuses to discontinue a whole catalogue when a feed has no usable rows', async () => {
    const supplierId = (await http('GET', '/api/suppliers')).body.find((s: any) => s.name === 'Acme feed').id;
    const saved = api.feeds.get('acme.csv')!;
    api.feeds.set('acme.csv', 'sku;name\n');
    await expect(runQueued('sync_supplier_products', { supplier_id: supplierId })).rejects.toThrow(/no usable rows/);
    expect((await products(supplierId)).filter((r: any) => r.discontinued_at === null).length).toBe(5);
    const [latest] = (await http('GET', `/api/suppliers/${supplierId}/sync-runs`)).body;
    expect(latest).toMatchObject({ state: 'failed' });
    expect(latest.error).toContain('no usable rows');
    api.feeds.set('acme.csv', saved);
  });

  it('reads JSON and gzipped JSON Lines feeds from SUPPLIER_FEED_DIR, and never a file outside it', async () => {
    const feedDir = t.env.SUPPLIER_FEED_DIR;
    mkdirSync(feedDir, { recursive: true });
    const items = [1, 2, 3].map((i) => ({ code: `J-${i}`, info: { name: `Json ${i}` }, cost: i * 2, stock: i, images: [`https://img/${i}.jpg`] }));
    writeFileSync(join(feedDir, 'catalog.json'), JSON.stringify({ meta: { count: 3 }, data: { products: items } }));
    writeFileSync(join(feedDir, 'catalog.jsonl.gz'), gzipSync(items.map((item) => JSON.stringify(item)).join('\n') + '\n{not json}\n'));
    const columns = { sku: 'code', title: 'info.name' };
    const jsonId = await createSupplier({ name: 'Json feed', kind: 'feed', settings: { path: 'catalog.json', format: 'json', json_path: 'data.products', columns, currency: 'EUR' } });
    const json = await runQueued('sync_supplier_products', { supplier_id: jsonId });
    expect(json).toMatchObject({ created: 3, failed: 0 });
    expect((await products(jsonId))[1]).toMatchObject({ sku: 'J-2', title: 'Json 2', cost: '4.00', stock: 2, currency: 'EUR' });

    const linesId = await createSupplier({ name: 'Lines feed', kind: 'feed', settings: { path: 'catalog.jsonl.gz', format: 'jsonl', columns } });
    const lines = await runQueued('sync_supplier_products', { supplier_id: linesId });
    expect(lines).toMatchObject({ created: 3, failed: 1, errors: [{ line: 4, reason: expect.stringContaining('not valid JSON') }] });

    const outsideId = await createSupplier({ name: 'Sneaky feed', kind: 'feed', settings: { path: '../../../etc/passwd', format: 'csv' } });
    await expect(runQueued('sync_supplier_products', { supplier_id: outsideId })).rejects.toThrow(/outside SUPPLIER_FEED_DIR/);
  });

  it('syncs a REST supplier page by page through a 500 and a 429 with Retry-After, then incrementally', async () => {
    api.products = Array.from({ length: 7 }, (_, i) => ({ sku: `API-${i}`, name: `Api ${i}`, price: '3.25', quantity: i, updated_at: '2026-11-01T00:00:00.000Z' }));
    const supplierId = await createSupplier({
      name: 'Api supplier',
      kind: 'api',
      settings: { base_url: `${api.url}/v1`, items_key: 'data', page_size: 3, columns: { title: 'name', cost: 'price', stock: 'quantity' }, inventory_path: '/inventory' },
      credentials: { token: api.token },
    });
    api.fail('/v1/products', { status: 500, body: { error: 'boom' } });
    api.fail('/v1/products', { status: 429, headers: { 'retry-after': '0.2' }, body: { error: 'slow down' } });
    const started = api.requests.length;
    const first = await runQueued('sync_supplier_products', { supplier_id: supplierId });
    expect(first).toMatchObject({ kind: 'full', created: 7, failed: 0 });
    const calls = api.requests.slice(started).filter((r) => r.path === '/v1/products');
    expect(calls.map((r) => r.query.get('page'))).toEqual(['1', '1', '1', '2', '3']);
    expect(calls.every((r) => r.headers.authorization === `Bearer ${api.token}`)).toBe(true);

    api.products[2] = { ...api.products[2], quantity: 50, updated_at: new Date(Date.now() + 1000).toISOString() };
    const second = await runQueued('sync_supplier_products', { supplier_id: supplierId });
    expect(second).toMatchObject({ kind: 'incremental', created: 0, updated: 1, discontinued: 0 });
    expect(api.requestsTo('GET', '/v1/products').at(-1)!.query.get('updated_since')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await products(supplierId)).find((r: any) => r.sku === 'API-2').stock).toBe(50);
  });

  it('gives up a feed download that stalls halfway: the run fails as retryable and discontinues nothing', async () => {
    const stalledId = await createSupplier({ name: 'Stalling feed', kind: 'feed', settings: { url: `${api.url}/feeds/stall.csv`, format: 'csv' }, credentials: { token: api.token } });
    api.fail('/feeds/stall.csv', { raw: 'sku,title,cost,stock\nS-1,One,1.00,1\n', stall: true });
    const started = Date.now();
    const { runId } = await runner.enqueue({ task: 'sync_supplier_products', kwargs: { supplier_id: stalledId } }, { attempts: 1 });
    await expect(runner.waitFor(runId, 30000)).rejects.toThrow(/broke off while downloading \(no data for 5 s\)/);
    expect(Date.now() - started).toBeLessThan(15000);
    const [run] = (await t.db.query('SELECT state, error FROM supplier_sync_runs WHERE supplier_id = $1', [stalledId])).rows;
    expect(run.state).toBe('failed');
    expect((await products(stalledId)).length).toBe(0);
  });

  it('follows cursor pagination', async () => {
    api.products = Array.from({ length: 5 }, (_, i) => ({ sku: `CUR-${i}`, name: `Cursor ${i}`, price: 1, quantity: 1, updated_at: '2026-11-01T00:00:00.000Z' }));
    const supplierId = await createSupplier({
      name: 'Cursor supplier',
      kind: 'api',
      settings: { base_url: `${api.url}/v1`, items_key: 'data', pagination: 'cursor', page_size: 2, columns: { title: 'name', cost: 'price', stock: 'quantity' } },
      credentials: { token: api.token },
    });
    expect(await runQueued('sync_supplier_products', { supplier_id: supplierId })).toMatchObject({ created: 5 });
    expect(api.requestsTo('GET', '/v1/products').slice(-3).map((r) => r.query.get('cursor'))).toEqual([null, '2', '4']);
  });

  it('updates stock and cost only from the inventory endpoint, recording changes and counting unknown SKUs', async () => {
    const supplierId = (await http('GET', '/api/suppliers')).body.find((s: any) => s.name === 'Api supplier').id;
    api.products = [
      { sku: 'API-0', name: 'Renamed (ignored)', price: '4.00', quantity: 0, updated_at: '2026-11-01T00:00:00.000Z' },
      { sku: 'API-1', name: 'Api 1', price: '3.25', quantity: 1, updated_at: '2026-11-01T00:00:00.000Z' },
      { sku: 'NEW-1', name: 'Not created', price: '1', quantity: 1, updated_at: '2026-11-01T00:00:00.000Z' },
    ];
    const result = await runQueued('update_supplier_inventory', { supplier_id: supplierId });
    expect(result).toMatchObject({ kind: 'inventory', updated: 1, unchanged: 1, unknown_skus: 1, failed: 0 });
    const rows = await products(supplierId);
    expect(rows.find((r: any) => r.sku === 'API-0')).toMatchObject({ title: 'Api 0', cost: '4.00', stock: 0 });
    expect(rows.find((r: any) => r.sku === 'NEW-1')).toBeUndefined();
    expect(rows.length).toBe(7);
  });

  it('test_supplier_connection says what is wrong: credentials, a refused connection, a body that is not the API, a timeout', async () => {
    const ok = await runQueued('test_supplier_connection', { supplier_id: (await http('GET', '/api/suppliers')).body.find((s: any) => s.name === 'Api supplier').id });
    expect(ok.message).toContain('answered with');

    const wrongToken = await createSupplier({ name: 'Wrong token', kind: 'api', settings: { base_url: `${api.url}/v1`, items_key: 'data' }, credentials: { token: 'nope' } });
    await expect(runQueued('test_supplier_connection', { supplier_id: wrongToken })).rejects.toThrow(/refused the credentials \(HTTP 401/);
    const port = await freePort();
    const refused = await createSupplier({ name: 'Nobody home', kind: 'api', settings: { base_url: `http://127.0.0.1:${port}/v1` } });
    await expect(runQueued('test_supplier_connection', { supplier_id: refused })).rejects.toThrow(new RegExp(`connection to 127\\.0\\.0\\.1:${port} was refused`));
    api.feeds.set('page.html', '<html>hello</html>');
    const html = await createSupplier({ name: 'Html', kind: 'api', settings: { base_url: `${api.url}/feeds`, products_path: '/page.html' }, credentials: { token: api.token } });
    await expect(runQueued('test_supplier_connection', { supplier_id: html })).rejects.toThrow(/not JSON/);
    // A server that takes the connection and never answers: the connector's timeout (5 s in tests) names itself.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const hanging = await createSupplier({ name: 'Silent', kind: 'api', settings: { base_url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1` } });
      await expect(runQueued('test_supplier_connection', { supplier_id: hanging })).rejects.toThrow(/no answer within 5 s/);
    } finally {
      silent.close();
    }
    // The task failed once, without retries, and no token appears in its error.
    const runs = await eventually(async () => {
      const rows = (await t.db.query("SELECT error, attempts FROM task_runs WHERE task = 'test_supplier_connection' AND state = 'failed'")).rows;
      return rows.length >= 4 && rows;
    });
    expect(runs.every((r: any) => r.attempts === 1 && !r.error.includes(api.token))).toBe(true);
  });

  it('sync_all_suppliers enqueues one sync per active supplier; an inactive one is left alone', async () => {
    const suppliers = (await http('GET', '/api/suppliers')).body;
    for (const s of suppliers.filter((s: any) => !['Acme feed', 'Api supplier'].includes(s.name))) await http('DELETE', `/api/suppliers/${s.id}`);
    const result = await runQueued('sync_all_suppliers', {});
    expect(result.enqueued).toBe(2);
    const outcomes = await Promise.all(result.run_ids.map((id: string) => runner.waitFor(id, 30000)));
    expect(outcomes.map((o: any) => o.supplier_id).sort()).toEqual(result.supplier_ids.sort());
    const inactive = suppliers.find((s: any) => s.name === 'Wrong token');
    await expect(runQueued('sync_supplier_products', { supplier_id: inactive.id })).rejects.toThrow(/inactive/);
  });

  it('lists products with paging and filters, and triggers syncs over HTTP', async () => {
    const supplierId = (await http('GET', '/api/suppliers')).body.find((s: any) => s.name === 'Acme feed').id;
    const page = await http('GET', `/api/products?supplier_id=${supplierId}&per_page=2&page=2`);
    expect(page.body).toMatchObject({ page: 2, per_page: 2, total: 5 });
    expect(page.body.items.map((p: any) => p.sku)).toEqual(['SKU-5', 'SKU-6']);
    const search = await http('GET', `/api/products?q=widget%208`);
    expect(search.body.items.map((p: any) => p.sku)).toEqual(['SKU-8']);
    const bad = await http('GET', '/api/products?per_page=100000');
    expect(bad.status).toBe(400);

    const triggered = await http('POST', `/api/suppliers/${supplierId}/sync`, { force_full_sync: true });
    expect(triggered.status).toBe(202);
    expect(await runner.waitFor(triggered.body.runId, 30000)).toMatchObject({ kind: 'full', supplier_id: supplierId });
    expect((await http('POST', '/api/suppliers/9999/sync', {})).status).toBe(404);
  });
});
