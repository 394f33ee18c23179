import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { businessDays } from './business-days.js';
import { ORDER_ECONOMICS } from './order-economics.sql.js';
import { ReportsService } from './reports.service.js';

const MONEY = (expr: string) => `coalesce(${expr}, 0)::numeric(14, 2)::text`;

/**
 * The morning report for one business day. Every figure is aggregated in Postgres from the
 * shared order economics; reading reads only that day's orders through the placed_at index.
 * Stock figures are as of generation (the catalogue keeps no daily stock history).
 */
@Injectable()
export class DailyReportService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: ReportsService,
  ) {}

  async generate(date?: string) {
    const timezone = this.config.scheduler.timezone;
    const day = await businessDays(this.db, timezone, date);
    const params = [day.start, day.end, timezone, this.config.analytics.currency];
    const [money] = (await this.db.query(
      `WITH ${ORDER_ECONOMICS},
       totals AS (
         SELECT count(*)::int AS orders, coalesce(sum(c.units), 0)::int AS units, sum(o.revenue) AS revenue, sum(coalesce(c.cost, 0)) AS cost,
                sum(o.fees) AS fees, sum(o.shipping) AS shipping
           FROM orders_in o LEFT JOIN order_costs c ON c.order_id = o.id),
       products AS (
         SELECT supplier_product_id, sku, max(title) AS title, sum(quantity)::int AS units, sum(revenue) AS revenue,
                sum(revenue - cost - fees - shipping) AS gross_profit
           FROM lines_shared GROUP BY supplier_product_id, sku ORDER BY revenue DESC, sku LIMIT 10),
       suppliers_top AS (
         SELECT l.supplier_id, s.name, sum(l.quantity)::int AS units, sum(l.revenue) AS revenue, sum(l.revenue - l.cost - l.fees - l.shipping) AS gross_profit
           FROM lines_shared l LEFT JOIN suppliers s ON s.id = l.supplier_id GROUP BY l.supplier_id, s.name ORDER BY revenue DESC LIMIT 10),
       by_marketplace AS (
         SELECT o.marketplace_id, m.name, count(*)::int AS orders, sum(o.revenue) AS revenue, sum(o.fees) AS fees, sum(o.shipping) AS shipping,
                sum(o.revenue - coalesce(c.cost, 0) - o.fees - o.shipping) AS gross_profit
           FROM orders_in o JOIN marketplaces m ON m.id = o.marketplace_id LEFT JOIN order_costs c ON c.order_id = o.id
          GROUP BY o.marketplace_id, m.name ORDER BY revenue DESC)
       SELECT
         (SELECT json_build_object(
            'orders', orders, 'units', units, 'revenue', ${MONEY('revenue')}, 'cost_of_goods', ${MONEY('cost')}, 'fees', ${MONEY('fees')},
            'shipping', ${MONEY('shipping')}, 'gross_profit', ${MONEY('revenue - cost - fees - shipping')},
            'margin', CASE WHEN revenue > 0 THEN round((revenue - cost - fees - shipping) / revenue, 4)::text END,
            'average_order_value', CASE WHEN orders > 0 THEN round(revenue / orders, 2)::text END) FROM totals) AS totals,
         (SELECT json_build_object('orders', count(*), 'amount', ${MONEY('sum(round(subtotal * rate, 2))')}) FROM rated WHERE status = 'refunded') AS refunds,
         (SELECT json_build_object('orders', count(*)) FROM rated WHERE status IN ('cancelled', 'failed')) AS cancelled,
         (SELECT coalesce(json_agg(json_build_object('currency', currency, 'orders', n)), '[]') FROM (SELECT currency, count(*)::int AS n FROM rated WHERE rate IS NULL AND status IN ('paid', 'partially_fulfilled', 'fulfilled', 'refunded') GROUP BY currency ORDER BY currency) u) AS unconverted,
         (SELECT coalesce(json_agg(json_build_object('supplier_product_id', supplier_product_id, 'sku', sku, 'title', title, 'units', units, 'revenue', revenue::text, 'gross_profit', gross_profit::text)), '[]') FROM products) AS top_products,
         (SELECT coalesce(json_agg(json_build_object('supplier_id', supplier_id, 'name', coalesce(name, '(unlinked)'), 'units', units, 'revenue', revenue::text, 'gross_profit', gross_profit::text)), '[]') FROM suppliers_top) AS top_suppliers,
         (SELECT coalesce(json_agg(json_build_object('marketplace_id', marketplace_id, 'name', name, 'orders', orders, 'revenue', revenue::text, 'fees', fees::text, 'shipping', shipping::text, 'gross_profit', gross_profit::text)), '[]') FROM by_marketplace) AS by_marketplace`,
      params,
    )) as Record<string, unknown>[];

    const [stock] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE stock = 0)::int AS out_of_stock,
              coalesce((SELECT json_agg(x) FROM (SELECT sku, title, stock FROM supplier_products WHERE discontinued_at IS NULL AND stock BETWEEN 1 AND 5 ORDER BY stock, sku LIMIT 20) x), '[]') AS low_stock
         FROM supplier_products WHERE discontinued_at IS NULL`,
    )) as Record<string, unknown>[];
    const [syncHealth] = (await this.db.query(
      `SELECT count(*)::int AS supplier_runs, count(*) FILTER (WHERE state = 'failed')::int AS supplier_failures,
              round(avg(extract(epoch FROM finished_at - started_at)) FILTER (WHERE state = 'succeeded')::numeric, 1)::text AS mean_duration_s,
              coalesce((SELECT json_agg(json_build_object('marketplace_id', id, 'name', name, 'orders_synced_at', orders_synced_at,
                         'lag_minutes', round(extract(epoch FROM now() - orders_synced_at)::numeric / 60, 1)) ORDER BY id) FROM marketplaces WHERE is_active), '[]') AS marketplaces
         FROM supplier_sync_runs WHERE started_at >= $1 AND started_at < $2`,
      [day.start, day.end],
    )) as Record<string, unknown>[];
    const failures = (await this.db.query(
      `SELECT queue, count(*)::int AS failed, (array_agg(DISTINCT task))[1:5] AS tasks
         FROM task_runs WHERE state = 'failed' AND finished_at >= $1 AND finished_at < $2 GROUP BY queue ORDER BY failed DESC, queue`,
      [day.start, day.end],
    )) as Record<string, unknown>[];

    const data = { date: day.from, timezone, currency: this.config.analytics.currency, ...money, stock, sync_health: syncHealth, task_failures: failures };
    const report = await this.reports.save('daily', day.from, day.from, day.from, data);
    return { report_id: report.id, date: day.from, totals: money.totals };
  }
}
