import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { businessDays } from './business-days.js';
import { ORDER_ECONOMICS } from './order-economics.sql.js';
import { ReportsService } from './reports.service.js';

/** The last `days` business days, ending yesterday. */
async function window(db: DataSource, timezone: string, days: number) {
  const [{ first }] = (await db.query('SELECT ((now() AT TIME ZONE $1)::date - $2::int)::text AS first', [timezone, days])) as { first: string }[];
  const [{ last }] = (await db.query('SELECT ((now() AT TIME ZONE $1)::date - 1)::text AS last', [timezone])) as { last: string }[];
  return businessDays(db, timezone, first, last);
}

/** Per-supplier and per-marketplace performance over a window of days, aggregated in SQL and stored as reports. */
@Injectable()
export class PerformanceReportsService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: ReportsService,
  ) {}

  async suppliers(supplierId: number | undefined, days: number) {
    const timezone = this.config.scheduler.timezone;
    const range = await window(this.db, timezone, days);
    const rows = (await this.db.query(
      `WITH ${ORDER_ECONOMICS},
       sales AS (SELECT supplier_id, sum(revenue) AS revenue, sum(revenue - cost - fees - shipping) AS profit FROM lines_shared GROUP BY supplier_id),
       all_sales AS (SELECT sum(revenue) AS revenue, sum(revenue - cost - fees - shipping) AS profit FROM lines_shared),
       syncs AS (SELECT supplier_id, count(*) AS runs, count(*) FILTER (WHERE state = 'succeeded') AS ok,
                        avg(extract(epoch FROM finished_at - started_at)) FILTER (WHERE state = 'succeeded') AS seconds
                   FROM supplier_sync_runs WHERE started_at >= $1 AND started_at < $2 GROUP BY supplier_id),
       catalogue AS (SELECT supplier_id, count(*) FILTER (WHERE discontinued_at IS NULL) AS active, count(*) FILTER (WHERE discontinued_at IS NOT NULL) AS discontinued,
                            count(*) FILTER (WHERE discontinued_at IS NULL AND stock = 0) AS out_of_stock
                       FROM supplier_products GROUP BY supplier_id),
       changes AS (SELECT p.supplier_id, count(*) FILTER (WHERE c.old_cost IS DISTINCT FROM c.new_cost) AS cost_changes,
                          count(*) FILTER (WHERE c.old_stock IS DISTINCT FROM c.new_stock) AS stock_changes
                     FROM supplier_product_changes c JOIN supplier_products p ON p.id = c.supplier_product_id
                    WHERE c.changed_at >= $1 AND c.changed_at < $2 GROUP BY p.supplier_id),
       lead AS (SELECT p.supplier_id, avg(extract(epoch FROM f.completed_at - o.placed_at) / 3600) AS hours
                  FROM marketplace_fulfilments f JOIN marketplace_orders o ON o.id = f.order_id
                  JOIN marketplace_order_lines l ON l.order_id = o.id JOIN supplier_products p ON p.id = l.supplier_product_id
                 WHERE f.state = 'created' AND o.placed_at >= $1 AND o.placed_at < $2 GROUP BY p.supplier_id)
       SELECT s.id AS supplier_id, s.name, s.is_active,
              coalesce(y.runs, 0)::int AS sync_runs,
              CASE WHEN y.runs > 0 THEN round(y.ok::numeric / y.runs, 4)::text END AS sync_success_rate,
              round(y.seconds::numeric, 1)::text AS mean_sync_seconds,
              coalesce(c.active, 0)::int AS active_products, coalesce(c.discontinued, 0)::int AS discontinued_products,
              CASE WHEN c.active > 0 THEN round(c.out_of_stock::numeric / c.active, 4)::text END AS stock_out_rate,
              coalesce(ch.cost_changes, 0)::int AS cost_changes, coalesce(ch.stock_changes, 0)::int AS stock_changes,
              round(ld.hours::numeric, 1)::text AS mean_hours_order_to_fulfilment,
              coalesce(sa.revenue, 0)::text AS revenue, coalesce(sa.profit, 0)::text AS gross_profit,
              CASE WHEN a.revenue > 0 THEN round(coalesce(sa.revenue, 0) / a.revenue, 4)::text END AS revenue_share,
              CASE WHEN a.profit <> 0 THEN round(coalesce(sa.profit, 0) / a.profit, 4)::text END AS profit_share
         FROM suppliers s CROSS JOIN all_sales a
         LEFT JOIN syncs y ON y.supplier_id = s.id LEFT JOIN catalogue c ON c.supplier_id = s.id LEFT JOIN changes ch ON ch.supplier_id = s.id
         LEFT JOIN lead ld ON ld.supplier_id = s.id LEFT JOIN sales sa ON sa.supplier_id = s.id
        WHERE $5::int IS NULL OR s.id = $5
        ORDER BY coalesce(sa.revenue, 0) DESC, s.id`,
      [range.start, range.end, timezone, this.config.analytics.currency, supplierId ?? null],
    )) as Record<string, unknown>[];
    const report = await this.reports.save('supplier_performance', `${supplierId ?? 'all'}:${days}:${range.to}`, range.from, range.to, { from: range.from, to: range.to, days, currency: this.config.analytics.currency, suppliers: rows });
    return { report_id: report.id, from: range.from, to: range.to, suppliers: rows.length };
  }

  async marketplaces(marketplaceId: number | undefined, days: number) {
    const timezone = this.config.scheduler.timezone;
    const range = await window(this.db, timezone, days);
    const rows = (await this.db.query(
      `WITH ${ORDER_ECONOMICS},
       sales AS (SELECT o.marketplace_id, count(*) AS orders, sum(o.revenue) AS revenue, sum(o.fees) AS fees, sum(o.shipping) AS shipping,
                        sum(o.revenue - coalesce(c.cost, 0) - o.fees - o.shipping) AS profit, sum(coalesce(c.units, 0)) AS units
                   FROM orders_in o LEFT JOIN order_costs c ON c.order_id = o.id GROUP BY o.marketplace_id),
       listings AS (SELECT marketplace_id, count(*) FILTER (WHERE status NOT IN ('removed', 'draft', 'archived')) AS live, sum(coalesce(quantity_pushed, 0)) AS available
                      FROM marketplace_listings GROUP BY marketplace_id),
       errors AS (SELECT (kwargs->>'marketplace_id')::int AS marketplace_id, count(*) AS failed
                    FROM task_runs WHERE state = 'failed' AND finished_at >= $1 AND finished_at < $2 AND kwargs ? 'marketplace_id' GROUP BY 1)
       SELECT m.id AS marketplace_id, m.name, m.platform, m.is_active,
              coalesce(s.orders, 0)::int AS orders, coalesce(s.revenue, 0)::text AS revenue,
              CASE WHEN s.orders > 0 THEN round(s.revenue / s.orders, 2)::text END AS average_order_value,
              coalesce(s.fees, 0)::text AS fees, coalesce(s.shipping, 0)::text AS shipping, coalesce(s.profit, 0)::text AS gross_profit,
              coalesce(l.live, 0)::int AS live_listings, coalesce(s.units, 0)::int AS units_sold,
              CASE WHEN coalesce(s.units, 0) + coalesce(l.available, 0) > 0 THEN round(coalesce(s.units, 0)::numeric / (coalesce(s.units, 0) + l.available), 4)::text END AS sell_through,
              round(extract(epoch FROM now() - m.orders_synced_at)::numeric / 60, 1)::text AS order_sync_lag_minutes,
              coalesce(e.failed, 0)::int AS task_errors
         FROM marketplaces m LEFT JOIN sales s ON s.marketplace_id = m.id LEFT JOIN listings l ON l.marketplace_id = m.id LEFT JOIN errors e ON e.marketplace_id = m.id
        WHERE $5::int IS NULL OR m.id = $5
        ORDER BY coalesce(s.revenue, 0) DESC, m.id`,
      [range.start, range.end, timezone, this.config.analytics.currency, marketplaceId ?? null],
    )) as Record<string, unknown>[];
    const report = await this.reports.save('marketplace_performance', `${marketplaceId ?? 'all'}:${days}:${range.to}`, range.from, range.to, { from: range.from, to: range.to, days, currency: this.config.analytics.currency, marketplaces: rows });
    return { report_id: report.id, from: range.from, to: range.to, marketplaces: rows.length };
  }
}
