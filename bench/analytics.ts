/**
 * Analytics figures for npm run bench: two years of orders (1,000,000 orders, 3,000,000 lines
 * by default) generated in SQL, then a daily report and a 30-day profitability calculation.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type pg from 'pg';
import { TaskRunner } from '../src/core/tasks/task-runner.js';

type Report = (name: string, value: number, unit: string) => void;

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const LINES_PER_ORDER = 3;

export async function analyticsFigures(client: INestApplicationContext, db: pg.Client, report: Report): Promise<void> {
  let started = performance.now();
  await db.query(`INSERT INTO suppliers (name, kind, settings) SELECT 'Analytics supplier ' || i, 'feed', '{}' FROM generate_series(1, 20) i`);
  await db.query(`INSERT INTO supplier_products (supplier_id, sku, title, cost, currency, stock, content_hash)
    SELECT (SELECT min(id) FROM suppliers WHERE name LIKE 'Analytics supplier %') + i % 20, 'AN-' || i, 'Analytics product ' || i, 2 + (i % 50) / 2.0, 'USD', i % 40, 'h'
      FROM generate_series(1, 10000) i`);
  await db.query(`INSERT INTO marketplaces (name, platform, settings) VALUES
    ('Analytics Shopify', 'shopify', '{"store_url": "http://x", "fee_percent": 2.9, "fee_fixed": 0.30, "shipping_cost_per_order": 4.5}'),
    ('Analytics Woo', 'woocommerce', '{"store_url": "http://y", "fee_percent": 1.5, "shipping_cost_per_order": 5}')`);
  await db.query(`INSERT INTO exchange_rates (currency, valid_from, rate, source) VALUES ('EUR', '2020-01-01', 1.08, 'bench') ON CONFLICT DO NOTHING`);
  const [{ first_product, first_marketplace }] = (await db.query(
    `SELECT (SELECT min(id) FROM supplier_products WHERE sku LIKE 'AN-%') AS first_product, (SELECT min(id) FROM marketplaces WHERE name LIKE 'Analytics %') AS first_marketplace`,
  )).rows;
  await db.query(
    `INSERT INTO marketplace_orders (marketplace_id, external_id, order_number, status, platform_status, customer_country, currency, subtotal, total, placed_at, remote_updated_at)
     SELECT $2 + i % 2, 'AN' || i, '#' || i,
            CASE WHEN i % 50 = 0 THEN 'refunded' WHEN i % 40 = 0 THEN 'cancelled' WHEN i % 3 = 0 THEN 'paid' ELSE 'fulfilled' END, 'x',
            'US', CASE WHEN i % 10 = 0 THEN 'EUR' ELSE 'USD' END, 30 + i % 70, 35 + i % 70,
            now() - (i::float / $1) * interval '730 days', now()
       FROM generate_series(1, $1) i`,
    [ORDERS, first_marketplace],
  );
  await db.query(
    `INSERT INTO marketplace_order_lines (order_id, external_line_id, sku, title, quantity, unit_price, unit_cost, supplier_product_id)
     SELECT o.id, o.id || '-' || n, 'AN-' || p, 'Analytics product ' || p, 1 + n % 2, 10 + (o.id + n) % 20, 2 + (p % 50) / 2.0, $2 + p - 1
       FROM marketplace_orders o CROSS JOIN generate_series(1, $1) n CROSS JOIN LATERAL (SELECT 1 + (o.id * 7 + n * 13) % 10000 AS p) pp
      WHERE o.external_id LIKE 'AN%'`,
    [LINES_PER_ORDER, first_product],
  );
  await db.query('ANALYZE marketplace_orders; ANALYZE marketplace_order_lines; ANALYZE supplier_products');
  report(`analytics data: ${ORDERS.toLocaleString('en-US')} orders, ${(ORDERS * LINES_PER_ORDER).toLocaleString('en-US')} lines over two years, generated in`, (performance.now() - started) / 1000, 's');

  const runner = client.get(TaskRunner);
  started = performance.now();
  const { result: daily } = (await runner.runNow({ task: 'generate_daily_reports' })) as { result: { totals: { orders: number } } };
  report(`generate_daily_reports for yesterday (${daily.totals.orders.toLocaleString('en-US')} orders; goal < 2 s)`, (performance.now() - started) / 1000, 's');
  const [{ last }] = (await db.query("SELECT (now()::date - 1)::text AS last")).rows;
  const [{ first }] = (await db.query("SELECT (now()::date - 30)::text AS first")).rows;
  started = performance.now();
  const { result: metrics } = (await runner.runNow({ task: 'calculate_profitability_metrics', kwargs: { period: 'day', start: first, end: last } })) as { result: { metric_rows: number } };
  report(`calculate_profitability_metrics, 30 days (${metrics.metric_rows.toLocaleString('en-US')} metric rows; goal < 10 s)`, (performance.now() - started) / 1000, 's');
  started = performance.now();
  await runner.runNow({ task: 'generate_marketplace_performance_report', kwargs: { days: 30 } });
  report('generate_marketplace_performance_report, 30 days', (performance.now() - started) / 1000, 's');
}
