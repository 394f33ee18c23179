import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { pageOf, type Page, type PageQuery } from '../core/http/paging.js';
import { businessDays } from './business-days.js';
import { ProfitabilityMetric, type MetricDimension, type MetricPeriod } from './entities/profitability-metric.entity.js';
import { ORDER_ECONOMICS } from './order-economics.sql.js';

const FIGURES = (orders: string, units: string, revenue: string, cost: string, fees: string, shipping: string) => `
  ${orders}::int, ${units}::int, ${revenue}, ${cost}, ${fees}, ${shipping},
  ${revenue} - ${cost} - ${fees} - ${shipping},
  CASE WHEN ${revenue} > 0 THEN round((${revenue} - ${cost} - ${fees} - ${shipping}) / ${revenue}, 4) END`;

/**
 * Profit per period and per total, marketplace, supplier and product, computed in one SQL
 * statement from the shared order economics and stored as metric rows for trend charts.
 * Recomputing a range replaces its rows.
 */
@Injectable()
export class ProfitabilityService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ProfitabilityMetric) private readonly metrics: Repository<ProfitabilityMetric>,
  ) {}

  /** Whole periods covering `start`..`end` (business days; yesterday's period when omitted). */
  async calculate(period: MetricPeriod, start?: string, end?: string) {
    const started = Date.now();
    const timezone = this.config.scheduler.timezone;
    const days = await businessDays(this.db, timezone, start, end ?? start);
    const [aligned] = (await this.db.query(
      `SELECT date_trunc($1, $2::date)::date::text AS first, (date_trunc($1, $3::date) + ('1 ' || $1)::interval - interval '1 day')::date::text AS last`,
      [period, days.from, days.to],
    )) as { first: string; last: string }[];
    const range = await businessDays(this.db, timezone, aligned.first, aligned.last);
    const currency = this.config.analytics.currency;

    const rows = await this.db.transaction(async (manager) => {
      await manager.query('DELETE FROM profitability_metrics WHERE period = $1 AND period_start >= $2 AND period_start <= $3', [period, range.from, range.to]);
      await manager.query(
        `WITH ${ORDER_ECONOMICS},
         o AS (SELECT o.*, coalesce(c.cost, 0) AS cost, coalesce(c.units, 0) AS units, date_trunc($5, o.day)::date AS period_start
                 FROM orders_in o LEFT JOIN order_costs c ON c.order_id = o.id),
         l AS (SELECT l.*, date_trunc($5, l.day)::date AS period_start FROM lines_shared l)
         INSERT INTO profitability_metrics (period, period_start, dimension, dimension_id, label, currency, orders, units, revenue, cost, fees, shipping, gross_profit, margin)
         SELECT $5, period_start, 'total', 'all', 'All sales', $4, ${FIGURES('count(*)', 'sum(units)', 'sum(revenue)', 'sum(cost)', 'sum(fees)', 'sum(shipping)')}
           FROM o GROUP BY period_start
         UNION ALL
         SELECT $5, o.period_start, 'marketplace', o.marketplace_id::text, m.name, $4, ${FIGURES('count(*)', 'sum(o.units)', 'sum(o.revenue)', 'sum(o.cost)', 'sum(o.fees)', 'sum(o.shipping)')}
           FROM o JOIN marketplaces m ON m.id = o.marketplace_id GROUP BY o.period_start, o.marketplace_id, m.name
         UNION ALL
         SELECT $5, l.period_start, 'supplier', coalesce(l.supplier_id::text, 'none'), coalesce(s.name, '(unlinked)'), $4,
                ${FIGURES('count(DISTINCT l.order_id)', 'sum(l.quantity)', 'sum(l.revenue)', 'sum(l.cost)', 'sum(l.fees)', 'sum(l.shipping)')}
           FROM l LEFT JOIN suppliers s ON s.id = l.supplier_id GROUP BY l.period_start, l.supplier_id, s.name
         UNION ALL
         SELECT $5, period_start, 'product', coalesce(supplier_product_id::text, 'sku:' || coalesce(max(sku), '')), coalesce(max(sku), '') || ' ' || coalesce(max(title), ''), $4,
                ${FIGURES('count(DISTINCT order_id)', 'sum(quantity)', 'sum(revenue)', 'sum(cost)', 'sum(fees)', 'sum(shipping)')}
           FROM l GROUP BY period_start, supplier_product_id, CASE WHEN supplier_product_id IS NULL THEN sku END`,
        [range.start, range.end, timezone, currency, period],
      );
      const [{ count }] = (await manager.query('SELECT count(*)::int AS count FROM profitability_metrics WHERE period = $1 AND period_start >= $2 AND period_start <= $3', [period, range.from, range.to])) as { count: number }[];
      return count;
    });
    return { period, start: range.from, end: range.to, currency, metric_rows: rows, duration_ms: Date.now() - started };
  }

  async series(query: PageQuery & { period: MetricPeriod; dimension: MetricDimension; dimension_id?: string; from?: string; to?: string }): Promise<Page<ProfitabilityMetric>> {
    const qb = this.metrics.createQueryBuilder('m').where('m.period = :period AND m.dimension = :dimension', query)
      .orderBy('m.period_start').addOrderBy('m.dimension_id').skip((query.page - 1) * query.per_page).take(query.per_page);
    if (query.dimension_id) qb.andWhere('m.dimension_id = :dimension_id', { dimension_id: query.dimension_id });
    if (query.from) qb.andWhere('m.period_start >= :from', { from: query.from });
    if (query.to) qb.andWhere('m.period_start <= :to', { to: query.to });
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }
}
