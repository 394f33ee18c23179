import type { INestApplication } from '@nestjs/common';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { bootApp } from './support/app.js';
import { createTestEnv, TEST_TOKEN, type TestEnv } from './support/test-env.js';

/**
 * A store in New York. 2026-11-01 is the day daylight saving ends there: 25 hours, from
 * 04:00Z to 05:00Z the next day. The expected figures below are worked out by hand from the
 * rules in order-economics.sql.ts.
 */
describe('analytics', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let runner: TaskRunner;
  const run = async (task: string, kwargs: Record<string, unknown> = {}) => {
    const { runId } = await runner.enqueue({ task, kwargs });
    return (await runner.waitFor(runId, 30000)) as any;
  };
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' } });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'api,worker', WORKER_QUEUES: 'analytics', BUSINESS_TIMEZONE: 'America/New_York', STORE_CURRENCY: 'USD' });
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
    runner = app.get(TaskRunner);
    const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);
    await q(`INSERT INTO suppliers (id, name, kind, settings) VALUES (1, 'US Supplier', 'feed', '{}'), (2, 'EU Supplier', 'feed', '{}')`);
    await q(`INSERT INTO supplier_products (id, supplier_id, sku, title, cost, currency, stock, content_hash) VALUES
      (1, 1, 'P1', 'Lamp', 20, 'USD', 0, 'h1'), (2, 2, 'P2', 'Vase', 10, 'EUR', 3, 'h2')`);
    await q(`INSERT INTO marketplaces (id, name, platform, settings) VALUES (1, 'Main shop', 'shopify', '{"store_url": "http://x", "fee_percent": 2.9, "fee_fixed": 0.30, "shipping_cost_per_order": 4.00}')`);
    await q(`INSERT INTO exchange_rates (currency, valid_from, rate, source) VALUES ('EUR', '2026-10-01', 1.10, 'test'), ('EUR', '2026-11-02', 1.20, 'test')`);
    const order = (id: number, placed: string, currency: string, subtotal: number, total: number, status: string) =>
      q(`INSERT INTO marketplace_orders (id, marketplace_id, external_id, order_number, status, platform_status, currency, subtotal, total, placed_at, remote_updated_at)
         VALUES ($1, 1, $7, '#' || $7, $2, $2, $3, $4, $5, $6, $6)`, [id, status, currency, subtotal, total, placed, String(id)]);
    const line = (orderId: number, productId: number | null, sku: string, quantity: number, price: number, cost: number | null) =>
      q(`INSERT INTO marketplace_order_lines (order_id, external_line_id, sku, title, quantity, unit_price, unit_cost, supplier_product_id) VALUES ($1, $2, $3, $8, $4, $5, $6, $7)`,
        [orderId, `${orderId}-${sku}`, sku, quantity, price, cost, productId, { P1: 'Lamp', P2: 'Vase' }[sku] ?? sku]);
    await order(1, '2026-11-01T04:30:00Z', 'USD', 100, 110, 'paid'); // 00:30 EDT on the 1st
    await line(1, 1, 'P1', 2, 50, 20);
    await order(2, '2026-11-02T04:30:00Z', 'EUR', 50, 55, 'fulfilled'); // 23:30 EST, still the 1st: the 25th hour
    await line(2, 2, 'P2', 1, 50, 10);
    await order(3, '2026-11-01T03:30:00Z', 'USD', 10, 10, 'paid'); // 23:30 EDT on Oct 31: the day before, same week
    await order(4, '2026-11-02T05:30:00Z', 'USD', 999, 999, 'paid'); // 00:30 EST on the 2nd
    await order(5, '2026-11-01T15:00:00Z', 'USD', 30, 33, 'refunded');
    await order(6, '2026-11-01T16:00:00Z', 'USD', 70, 77, 'cancelled');
    await order(7, '2026-11-01T17:00:00Z', 'GBP', 40, 44, 'paid'); // no GBP rate
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('reports a 25-hour business day to the cent: conversions, fees, shipping, refunds, cancellations, unconverted currencies', async () => {
    const result = await run('generate_daily_reports', { date: '2026-11-01' });
    expect(result.totals).toEqual({
      orders: 2,
      units: 3,
      revenue: '155.00',
      cost_of_goods: '51.00',
      fees: '5.57',
      shipping: '8.00',
      gross_profit: '90.43',
      margin: '0.5834',
      average_order_value: '77.50',
    });
    const report = (await api(`/api/analytics/reports/${result.report_id}`)).body;
    expect(report.data).toMatchObject({
      date: '2026-11-01',
      timezone: 'America/New_York',
      currency: 'USD',
      refunds: { orders: 1, amount: '30.00' },
      cancelled: { orders: 1 },
      unconverted: [{ currency: 'GBP', orders: 1 }],
      top_products: [
        { sku: 'P1', units: 2, revenue: '100.00', gross_profit: '52.51' },
        { sku: 'P2', units: 1, revenue: '55.00', gross_profit: '37.92' },
      ],
      top_suppliers: [
        { name: 'US Supplier', revenue: '100.00' },
        { name: 'EU Supplier', revenue: '55.00' },
      ],
      stock: { out_of_stock: 1, low_stock: [{ sku: 'P2', stock: 3 }] },
    });

    await t.db.query("UPDATE exchange_rates SET rate = 1.2 WHERE valid_from = '2026-10-01'");
    const again = await run('generate_daily_reports', { date: '2026-11-01' });
    expect(again.report_id).toBe(result.report_id);
    expect(again.totals.revenue).toBe('160.00');
    expect((await api('/api/analytics/reports?kind=daily')).body.total).toBe(1);
    await t.db.query("UPDATE exchange_rates SET rate = 1.1 WHERE valid_from = '2026-10-01'");
    expect((await run('generate_daily_reports', { date: '2026-11-01' })).totals.revenue).toBe('155.00');
  });

  it('stores profitability per day and per week, per dimension, and replaces rather than duplicates', async () => {
    expect(await run('calculate_profitability_metrics', { period: 'day', start: '2026-10-31', end: '2026-11-02' })).toMatchObject({ start: '2026-10-31', end: '2026-11-02' });
    const day = (await api('/api/analytics/metrics?period=day&dimension=total')).body.items;
    expect(day.map((m: any) => [m.periodStart, m.orders, m.revenue, m.grossProfit])).toEqual([
      ['2026-10-31', 1, '10.00', '5.41'],
      ['2026-11-01', 2, '155.00', '90.43'],
      ['2026-11-02', 1, '999.00', '965.73'],
    ]);
    const suppliers = (await api('/api/analytics/metrics?period=day&dimension=supplier&from=2026-11-01&to=2026-11-01')).body.items;
    expect(suppliers.map((m: any) => [m.dimensionId, m.revenue, m.cost, m.fees, m.shipping, m.grossProfit])).toEqual([
      ['1', '100.00', '40.00', '3.49', '4.00', '52.51'],
      ['2', '55.00', '11.00', '2.08', '4.00', '37.92'],
    ]);
    const products = (await api('/api/analytics/metrics?period=day&dimension=product&from=2026-11-01&to=2026-11-01')).body.items;
    expect(products.map((m: any) => [m.label, m.margin])).toEqual([['P1 Lamp', '0.5251'], ['P2 Vase', '0.6895']]);

    const week = await run('calculate_profitability_metrics', { period: 'week', start: '2026-11-01' });
    expect(week).toMatchObject({ start: '2026-10-26', end: '2026-11-01' });
    const weekTotal = (await api('/api/analytics/metrics?period=week&dimension=total')).body.items;
    expect(weekTotal.map((m: any) => [m.periodStart, m.orders, m.revenue, m.fees, m.grossProfit])).toEqual([['2026-10-26', 3, '165.00', '6.16', '95.84']]);

    const count = async () => Number((await t.db.query('SELECT count(*) FROM profitability_metrics')).rows[0].count);
    const before = await count();
    await run('calculate_profitability_metrics', { period: 'day', start: '2026-10-31', end: '2026-11-02' });
    expect(await count()).toBe(before);

    const csv = await api('/api/analytics/metrics?period=day&dimension=total&format=csv');
    expect(csv.type).toContain('text/csv');
    expect(csv.text.split('\n')[2]).toBe('day,2026-11-01,total,all,All sales,USD,2,3,155.00,51.00,5.57,8.00,90.43,0.5834');
  });

  it('downloads a report as JSON and CSV', async () => {
    const [report] = (await api('/api/analytics/reports?kind=daily')).body.items;
    const json = await api(`/api/analytics/reports/${report.id}/download.json`);
    expect(json.body.data.totals.revenue).toBe('155.00');
    const csv = await api(`/api/analytics/reports/${report.id}/download.csv`);
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toContain('totals,,gross_profit,90.43');
    expect(csv.text).toContain('top_products,1,sku,P1');
  });

  it('reports supplier and marketplace performance over a window of days', async () => {
    // Into the last 30 days, wherever today is: orders 1 to 4 (the EUR one now at 1.20), not the refunded, cancelled or unconverted ones.
    await t.db.query("UPDATE marketplace_orders SET placed_at = now() - interval '2 days' WHERE id IN (1, 2, 3, 4)");
    await t.db.query("UPDATE marketplace_orders SET placed_at = now() - interval '90 days' WHERE id > 4");
    await t.db.query("INSERT INTO supplier_sync_runs (supplier_id, kind, state, started_at, finished_at) VALUES (1, 'full', 'succeeded', now() - interval '1 day', now() - interval '1 day' + interval '20 seconds'), (1, 'full', 'failed', now() - interval '1 day', now() - interval '1 day')");
    await t.db.query("INSERT INTO marketplace_fulfilments (order_id, tracking_number, carrier, state, completed_at) SELECT 1, 'T1', 'UPS', 'created', placed_at + interval '36 hours' FROM marketplace_orders WHERE id = 1");
    const suppliers = await run('generate_supplier_performance_report', { days: 30 });
    const report = (await api(`/api/analytics/reports/${suppliers.report_id}`)).body.data.suppliers;
    const us = report.find((s: any) => s.name === 'US Supplier');
    expect(us).toMatchObject({ sync_runs: 2, sync_success_rate: '0.5000', mean_sync_seconds: '20.0', active_products: 1, stock_out_rate: '1.0000', mean_hours_order_to_fulfilment: '36.0', revenue: '100.00' });
    expect(Number(us.revenue_share) + Number(report.find((s: any) => s.name === 'EU Supplier').revenue_share)).toBeCloseTo(1, 4);

    const marketplaces = await run('generate_marketplace_performance_report', { marketplace_id: 1, days: 30 });
    const [shop] = (await api(`/api/analytics/reports/${marketplaces.report_id}`)).body.data.marketplaces;
    // Fees: 3.49 + round(1.895 × 1.2) 2.27 + 0.59 + 29.27.
    expect(shop).toMatchObject({ marketplace_id: 1, orders: 4, revenue: '1169.00', average_order_value: '292.25', fees: '35.62', shipping: '16.00' });
  });

  it('keeps an exchange rate table with sources, and refuses a rate for the store currency', async () => {
    const set = await api('/api/analytics/exchange-rates', { method: 'PUT', body: JSON.stringify({ rates: [{ currency: 'GBP', valid_from: '2026-10-01', rate: '1.27', source: 'ECB reference rate' }] }) });
    expect(set.status).toBe(200);
    expect(set.body.find((r: any) => r.currency === 'GBP')).toMatchObject({ rate: '1.27000000', source: 'ECB reference rate' });
    const own = await api('/api/analytics/exchange-rates', { method: 'PUT', body: JSON.stringify({ rates: [{ currency: 'USD', valid_from: '2026-10-01', rate: '1', source: 'x' }] }) });
    expect(own.status).toBe(400);
    const bad = await api('/api/analytics/exchange-rates', { method: 'PUT', body: JSON.stringify({ rates: [{ currency: 'eur', valid_from: 'soon', rate: 'lots' }] }) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('ISO 4217');
  });
});
