import type { INestApplication } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { bootApp } from './support/app.js';
import { ShopifyEmulator, type ShopifyOrder } from './support/emulators/shopify.emulator.js';
import { WooCommerceEmulator } from './support/emulators/woocommerce.emulator.js';
import { createTestEnv, TEST_TOKEN, type TestEnv } from './support/test-env.js';

const iso = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

function shopifyOrder(id: number, sku: string, quantity: number, updatedMinutesAgo: number): ShopifyOrder {
  return {
    id,
    name: `#${id}`,
    created_at: iso(updatedMinutesAgo + 5),
    updated_at: iso(updatedMinutesAgo),
    cancelled_at: null,
    financial_status: 'paid',
    fulfillment_status: null,
    currency: 'USD',
    subtotal_price: (quantity * 20).toFixed(2),
    total_price: (quantity * 20 + 5).toFixed(2),
    shipping_address: { country_code: 'DE' },
    line_items: [{ id: id * 100, sku, title: `Item ${sku}`, quantity, price: '20.00' }],
  };
}

describe('marketplaces', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let runner: TaskRunner;
  let shopify: ShopifyEmulator;
  let woo: WooCommerceEmulator;
  let supplierId: number;
  let shopId: number;
  let wooId: number;

  const http = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const runQueued = async (task: string, kwargs: Record<string, unknown> = {}) => {
    const { runId } = await runner.enqueue({ task, kwargs });
    return (await runner.waitFor(runId, 30000)) as any;
  };
  /** The supplier's feed: SKU-0 … SKU-(n-1), stock 10 + i, cost 5.00; some lines overridden. */
  const writeFeed = (overrides: Record<string, string> = {}, n = 270) => {
    const rows = Array.from({ length: n }, (_, i) => overrides[`SKU-${i}`] ?? `SKU-${i},Product ${i},5.00,${10 + i}`);
    writeFileSync(join(t.env.SUPPLIER_FEED_DIR, 'stock.csv'), `sku,title,cost,stock\n${rows.filter((r) => r !== 'gone').join('\n')}\n`);
  };
  const listings = async (marketplaceId: number) =>
    (await t.db.query('SELECT l.*, p.sku AS product_sku FROM marketplace_listings l LEFT JOIN supplier_products p ON p.id = l.supplier_product_id WHERE marketplace_id = $1 ORDER BY l.id', [marketplaceId])).rows;

  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'api,worker', WORKER_QUEUES: 'suppliers,marketplaces', SHOPIFY_REQUESTS_PER_SECOND: '35', INVENTORY_SAFETY_BUFFER: '1' });
    shopify = await new ShopifyEmulator('shpat_test_token', 80, 40).start();
    woo = await new WooCommerceEmulator().start();
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
    runner = app.get(TaskRunner);

    mkdirSync(t.env.SUPPLIER_FEED_DIR, { recursive: true });
    writeFeed();
    supplierId = (await http('POST', '/api/suppliers', { name: 'Stock feed', kind: 'feed', settings: { path: 'stock.csv', format: 'csv' } })).body.id;
    expect(await runQueued('sync_supplier_products', { supplier_id: supplierId })).toMatchObject({ created: 270 });

    // 261 products, one with two variants: two pages at Shopify's 250 limit. SKU-X matches no supplier product.
    shopify.products = Array.from({ length: 260 }, (_, i) => ({ id: 1000 + i, title: `Shop ${i}`, status: 'active', variants: [{ id: 2000 + i, sku: `SKU-${i}`, title: 'Default Title', price: '19.99', inventory_item_id: 3000 + i }] }));
    shopify.products.push({ id: 1999, title: 'Two sizes', status: 'active', variants: [
      { id: 2998, sku: 'SKU-265', title: 'S', price: '21.00', inventory_item_id: 3998 },
      { id: 2999, sku: 'SKU-X', title: 'L', price: '21.00', inventory_item_id: 3999 },
    ] });
  });
  afterAll(async () => {
    await app?.close();
    await shopify?.stop();
    await woo?.stop();
    await t.cleanup();
  });

  it('creates marketplaces with write-only credentials and names what is missing without echoing secrets', async () => {
    const missing = await http('POST', '/api/marketplaces', { name: 'Shop', platform: 'woocommerce', settings: { store_url: woo.url }, credentials: { consumer_key: 'ck_only' } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('consumer_secret');
    expect(JSON.stringify(missing.body)).not.toContain('ck_only');

    const shop = await http('POST', '/api/marketplaces', { name: 'Shopify main', platform: 'shopify', settings: { store_url: shopify.url, safety_buffer: 2 }, credentials: { access_token: shopify.token } });
    expect(shop.status).toBe(201);
    expect(shop.body).toMatchObject({ platform: 'shopify', hasCredentials: true, isActive: true });
    expect(JSON.stringify(shop.body)).not.toContain(shopify.token);
    shopId = shop.body.id;
    wooId = (await http('POST', '/api/marketplaces', { name: 'Woo store', platform: 'woocommerce', settings: { store_url: woo.url }, credentials: { consumer_key: woo.key, consumer_secret: woo.secret } })).body.id;
    expect(JSON.stringify((await http('GET', '/api/marketplaces')).body)).not.toMatch(/shpat_test_token|cs_test_secret/);
  });

  it('pulls Shopify listings across Link-header pages and links them by SKU, reporting the unlinked', async () => {
    const result = await runQueued('sync_marketplace_listings', { marketplace_id: shopId });
    expect(result).toMatchObject({ listings: 262, linked: 261, unlinked: 1, removed: 0, unlinked_listings: [{ sku: 'SKU-X', variant_id: '2999' }] });
    const pages = shopify.requestsTo('GET', 'products.json');
    expect(pages).toHaveLength(2);
    expect(pages[1].query.get('page_info')).toBeTruthy();
    expect(pages.every((r) => r.headers['x-shopify-access-token'] === shopify.token)).toBe(true);
    const rows = await listings(shopId);
    expect(rows.find((l: any) => l.external_variant_id === '2998')).toMatchObject({ sku: 'SKU-265', product_sku: 'SKU-265', inventory_item_id: '3998', title: 'Two sizes - S', price: '21.00' });
    expect((await http('GET', `/api/listings?marketplace_id=${shopId}&linked=false`)).body).toMatchObject({ total: 1, items: [{ sku: 'SKU-X' }] });

    shopify.products = shopify.products.filter((p) => p.id !== 1000);
    expect(await runQueued('sync_marketplace_listings', { marketplace_id: shopId })).toMatchObject({ listings: 261, removed: 1 });
  });

  it('pushes stock minus the safety buffer, zero when discontinued, and afterwards only the quantities that changed', async () => {
    shopify.fail('inventory_levels/set.json', { status: 429, headers: { 'retry-after': '0.1' }, body: { errors: 'Exceeded 2 calls per second' } });
    const first = await runQueued('sync_all_marketplace_inventory');
    const push = first.results.find((r: any) => r.marketplace_id === shopId);
    expect(push).toMatchObject({ checked: 260, changed: 260, pushed: 260, failed: 0 });
    expect(shopify.levels.get(3001)).toBe(11 - 2);
    expect(shopify.levels.get(3998)).toBe(275 - 2);
    expect(shopify.requestsTo('POST', 'inventory_levels/set.json')).toHaveLength(261); // one 429, retried
    expect(shopify.requestsTo('GET', 'locations.json')).toHaveLength(1);

    const again = (await runQueued('sync_all_marketplace_inventory')).results.find((r: any) => r.marketplace_id === shopId);
    expect(again).toMatchObject({ checked: 260, changed: 0, calls: 0 });

    // Three products change: one stock, one discontinued (gone from a full sync), one back below the buffer.
    writeFeed({ 'SKU-1': 'SKU-1,Product 1,5.00,40', 'SKU-2': 'gone', 'SKU-3': 'SKU-3,Product 3,5.00,1' });
    await runQueued('sync_supplier_products', { supplier_id: supplierId });
    const before = shopify.requestsTo('POST', 'inventory_levels/set.json').length;
    const third = (await runQueued('sync_all_marketplace_inventory')).results.find((r: any) => r.marketplace_id === shopId);
    expect(third).toMatchObject({ changed: 3, pushed: 3, calls: 3 });
    const sent = shopify.requestsTo('POST', 'inventory_levels/set.json').slice(before).map((r) => [r.body.inventory_item_id, r.body.available]);
    expect(sent.sort()).toEqual([[3001, 38], [3002, 0], [3003, 0]]);
    expect(shopify.throttled).toBe(0);
  });

  it('syncs Shopify orders incrementally, recording each line\'s unit cost of the day', async () => {
    shopify.orders = [shopifyOrder(501, 'SKU-5', 2, 30), shopifyOrder(502, 'SKU-X', 1, 20)];
    const first = await runQueued('sync_marketplace_orders', { marketplace_id: shopId });
    expect(first).toMatchObject({ orders: 2, created: 2, lines: 2, lines_without_cost: 1, since: null });
    const order = (await http('GET', `/api/orders?marketplace_id=${shopId}&status=paid`)).body.items.find((o: any) => o.externalId === '501');
    expect(order).toMatchObject({ orderNumber: '#501', status: 'paid', customerCountry: 'DE', currency: 'USD', subtotal: '40.00', total: '45.00' });
    const detail = (await http('GET', `/api/orders/${order.id}`)).body;
    expect(detail.lines).toEqual([expect.objectContaining({ sku: 'SKU-5', quantity: 2, unitPrice: '20.00', unitCost: '5.00' })]);

    // The supplier's cost rises; the order is updated on Shopify; a new order arrives.
    writeFeed({ 'SKU-2': 'gone', 'SKU-5': 'SKU-5,Product 5,7.00,15', 'SKU-1': 'SKU-1,Product 1,5.00,40', 'SKU-3': 'SKU-3,Product 3,5.00,1' });
    await runQueued('sync_supplier_products', { supplier_id: supplierId });
    shopify.orders[0] = { ...shopify.orders[0], financial_status: 'refunded', updated_at: iso(1) };
    shopify.orders.push(shopifyOrder(503, 'SKU-5', 1, 0));
    const second = await runQueued('sync_marketplace_orders', { marketplace_id: shopId });
    // updated_at_min is inclusive: the order at the cursor (502) comes again, harmlessly.
    expect(second).toMatchObject({ orders: 3, created: 1, updated: 2 });
    expect(shopify.requestsTo('GET', 'orders.json').at(-1)!.query.get('updated_at_min')).toBe(second.since);
    const lines = (await t.db.query('SELECT o.external_id, o.status, l.unit_cost::text AS unit_cost FROM marketplace_order_lines l JOIN marketplace_orders o ON o.id = l.order_id ORDER BY o.external_id')).rows;
    expect(lines).toEqual([
      { external_id: '501', status: 'refunded', unit_cost: '5.00' },
      { external_id: '502', status: 'paid', unit_cost: null },
      { external_id: '503', status: 'paid', unit_cost: '7.00' },
    ]);
  });

  it('fulfils a Shopify order once, however many times it is asked, and adopts a fulfilment an earlier run left on Shopify', async () => {
    const [{ id: orderId }] = (await t.db.query("SELECT id FROM marketplace_orders WHERE external_id = '503'")).rows;
    const args = { order_id: Number(orderId), tracking_number: '1Z999', carrier: 'UPS', tracking_url: 'https://track.example/1Z999' };
    const [a, b] = await Promise.all([runQueued('fulfill_marketplace_order', args), runQueued('fulfill_marketplace_order', args)]);
    expect([a.already_fulfilled, b.already_fulfilled].sort()).toEqual([false, true]);
    expect(shopify.requestsTo('POST', 'fulfillments.json')).toHaveLength(1);
    expect(shopify.requestsTo('POST', 'fulfillments.json')[0].body.fulfillment).toMatchObject({ line_items_by_fulfillment_order: [{ fulfillment_order_id: 5030 }], tracking_info: { number: '1Z999', company: 'UPS', url: 'https://track.example/1Z999' } });
    expect(await runQueued('fulfill_marketplace_order', args)).toMatchObject({ already_fulfilled: true });
    expect(shopify.requestsTo('POST', 'fulfillments.json')).toHaveLength(1);
    const [saved] = (await t.db.query('SELECT f.state, f.external_fulfilment_id, o.status FROM marketplace_fulfilments f JOIN marketplace_orders o ON o.id = f.order_id WHERE f.order_id = $1', [orderId])).rows;
    expect(saved).toEqual({ state: 'created', external_fulfilment_id: a.external_fulfilment_id, status: 'fulfilled' });

    // An earlier run fulfilled 502 on Shopify and died before saving it.
    shopify.fulfillments.set(502, [{ id: 777, status: 'success', tracking_number: 'LOST1', tracking_company: 'DHL' }]);
    const [{ id: order502 }] = (await t.db.query("SELECT id FROM marketplace_orders WHERE external_id = '502'")).rows;
    expect(await runQueued('fulfill_marketplace_order', { order_id: Number(order502), tracking_number: 'LOST1', carrier: 'DHL' })).toMatchObject({ already_fulfilled: true, external_fulfilment_id: '777' });
    expect(shopify.requestsTo('POST', 'fulfillments.json')).toHaveLength(1);

    const refunded = (await t.db.query("SELECT id FROM marketplace_orders WHERE external_id = '501'")).rows[0].id;
    await expect(runQueued('fulfill_marketplace_order', { order_id: Number(refunded), tracking_number: 'X', carrier: 'UPS' })).rejects.toThrow(/refunded; it cannot be fulfilled/);
  });

  it('WooCommerce: listings with variations, stock through the batch endpoints, orders by modified_after, fulfilment as a note and "completed"', async () => {
    woo.products = [
      { id: 11, name: 'Mug', sku: 'SKU-10', price: '9.00', status: 'publish', type: 'simple', stock_quantity: 0, manage_stock: true, variations: [] },
      { id: 12, name: 'Shirt', sku: '', price: '15.00', status: 'publish', type: 'variable', stock_quantity: null, manage_stock: false, variations: [13, 14] },
      ...Array.from({ length: 120 }, (_, i) => ({ id: 100 + i, name: `Bulk ${i}`, sku: `SKU-${100 + i}`, price: '3.00', status: 'publish', type: 'simple' as const, stock_quantity: 0, manage_stock: true, variations: [] })),
    ];
    woo.variations = [
      { id: 13, parent_id: 12, name: 'Small', sku: 'SKU-11', price: '15.00', status: 'publish', stock_quantity: 0, manage_stock: true },
      { id: 14, parent_id: 12, name: 'Large', sku: 'SKU-12', price: '15.00', status: 'publish', stock_quantity: 0, manage_stock: true },
    ];
    woo.fail('/wp-json/wc/v3/products', { status: 500, body: { code: 'internal_server_error', message: 'There has been a critical error on this website.' } });
    expect(await runQueued('sync_marketplace_listings', { marketplace_id: wooId })).toMatchObject({ listings: 123, linked: 123, unlinked: 0 });
    // Page 1 twice: the 500, then its retry.
    expect(woo.requestsTo('GET', '/products').filter((r) => r.path.endsWith('/products')).map((r) => r.query.get('page'))).toEqual(['1', '1', '2']);

    const pushed = (await runQueued('sync_all_marketplace_inventory')).results.find((r: any) => r.marketplace_id === wooId);
    expect(pushed).toMatchObject({ changed: 123, pushed: 123, failed: 0, calls: 3 });
    const batches = woo.requestsTo('POST', '/batch').map((r) => [r.path, r.body.update.length]);
    expect(batches).toEqual([['/wp-json/wc/v3/products/batch', 100], ['/wp-json/wc/v3/products/batch', 21], ['/wp-json/wc/v3/products/12/variations/batch', 2]]);
    expect(woo.products[0].stock_quantity).toBe(19);
    expect(woo.variations[1].stock_quantity).toBe(21);

    woo.orders = [{
      id: 71, number: '71', status: 'processing', currency: 'EUR', total: '35.00', date_created_gmt: '2026-11-20T10:00:00', date_modified_gmt: '2026-11-20T10:05:00',
      billing: { country: 'FR' }, shipping: { country: '' }, line_items: [{ id: 1, sku: 'SKU-11', name: 'Shirt - Small', quantity: 2, price: 15, subtotal: '30.00' }],
    }];
    expect(await runQueued('sync_marketplace_orders', { marketplace_id: wooId })).toMatchObject({ orders: 1, created: 1, lines_without_cost: 0 });
    expect(woo.requestsTo('GET', '/orders').at(-1)!.query.get('modified_after')).toBeNull();
    expect(await runQueued('sync_marketplace_orders', { marketplace_id: wooId })).toMatchObject({ orders: 1, created: 0 });
    expect(woo.requestsTo('GET', '/orders').at(-1)!.query.get('modified_after')).toBe('2026-11-20T10:04:59');
    const [{ id: orderId, status, customer_country }] = (await t.db.query("SELECT id, status, customer_country FROM marketplace_orders WHERE marketplace_id = $1", [wooId])).rows;
    expect({ status, customer_country }).toEqual({ status: 'paid', customer_country: 'FR' });

    const args = { order_id: Number(orderId), tracking_number: 'JJD00', carrier: 'DHL' };
    expect(await runQueued('fulfill_marketplace_order', args)).toMatchObject({ already_fulfilled: false });
    expect(await runQueued('fulfill_marketplace_order', args)).toMatchObject({ already_fulfilled: true });
    expect(woo.notes.get(71)).toEqual([expect.objectContaining({ note: 'Shipped with DHL, tracking number JJD00', customer_note: true })]);
    expect(woo.orders[0].status).toBe('completed');
    expect(woo.requestsTo('PUT', '/orders/71')).toHaveLength(1);
  });

  it('fulfils over HTTP with the task\'s own argument checks, and answers 404 for an unknown order', async () => {
    const [{ id }] = (await t.db.query("SELECT id FROM marketplace_orders WHERE external_id = '502'")).rows;
    const bad = await http('POST', `/api/orders/${id}/fulfill`, { carrier: 'UPS' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('tracking_number');
    expect((await http('POST', '/api/orders/999999/fulfill', { tracking_number: 'A', carrier: 'B' })).status).toBe(404);
    const wrongCredentials = await http('PATCH', `/api/marketplaces/${wooId}`, { credentials: { consumer_key: 'ck_wrong', consumer_secret: 'cs_wrong' } });
    expect(wrongCredentials.status).toBe(200);
    await expect(runQueued('sync_marketplace_orders', { marketplace_id: wooId })).rejects.toThrow(/refused the credentials \(HTTP 401/);
  });

  it('sync_all_marketplace_orders fans out per active marketplace', async () => {
    await http('DELETE', `/api/marketplaces/${wooId}`);
    const result = await runQueued('sync_all_marketplace_orders');
    expect(result).toMatchObject({ enqueued: 1, marketplace_ids: [shopId] });
    expect(await runner.waitFor(result.run_ids[0], 30000)).toMatchObject({ marketplace_id: shopId });
  });

  it('cleanup_supplier_data removes long-discontinued products unless a listing or order line refers to them', async () => {
    await t.db.query("UPDATE supplier_products SET discontinued_at = now() - interval '200 days' WHERE sku IN ('SKU-5', 'SKU-7', 'SKU-200')");
    await t.db.query("UPDATE supplier_product_changes SET changed_at = now() - interval '200 days'");
    await t.db.query("DELETE FROM marketplace_listings WHERE sku = 'SKU-200'");
    const result = await runQueued('cleanup_supplier_data', { days: 90 });
    expect(result).toMatchObject({ products: 1, products_kept: 2 });
    expect(result.changes).toBeGreaterThan(0);
    const left = (await t.db.query("SELECT sku FROM supplier_products WHERE sku IN ('SKU-5', 'SKU-7', 'SKU-200') ORDER BY sku")).rows.map((r: any) => r.sku);
    expect(left).toEqual(['SKU-5', 'SKU-7']);
  });
});
