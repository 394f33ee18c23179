import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Exchange rates, stored reports and profitability metrics, and the indexes report queries need. */
export class Analytics1764500000000 implements MigrationInterface {
  name = 'Analytics1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE exchange_rates (
        currency   char(3) NOT NULL,
        valid_from date NOT NULL,
        rate       numeric(18, 8) NOT NULL CHECK (rate > 0),
        source     text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (currency, valid_from)
      )`);
    await db.query(`
      CREATE TABLE reports (
        id           serial PRIMARY KEY,
        kind         text NOT NULL CHECK (kind IN ('daily', 'supplier_performance', 'marketplace_performance')),
        key          text NOT NULL,
        period_start date NOT NULL,
        period_end   date NOT NULL,
        currency     char(3) NOT NULL,
        data         jsonb NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, key)
      )`);
    await db.query('CREATE INDEX reports_kind_period ON reports (kind, period_start DESC)');
    await db.query(`
      CREATE TABLE profitability_metrics (
        period       text NOT NULL CHECK (period IN ('day', 'week', 'month')),
        period_start date NOT NULL,
        dimension    text NOT NULL CHECK (dimension IN ('total', 'marketplace', 'supplier', 'product')),
        dimension_id text NOT NULL,
        label        text NOT NULL,
        currency     char(3) NOT NULL,
        orders       int NOT NULL,
        units        int NOT NULL,
        revenue      numeric(14, 2) NOT NULL,
        cost         numeric(14, 2) NOT NULL,
        fees         numeric(14, 2) NOT NULL,
        shipping     numeric(14, 2) NOT NULL,
        gross_profit numeric(14, 2) NOT NULL,
        margin       numeric(8, 4),
        computed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (period, dimension, dimension_id, period_start)
      )`);
    await db.query('CREATE INDEX profitability_metrics_series ON profitability_metrics (period, dimension, period_start)');
    // Reports read order lines by order and fulfilments by order; task runs and sync runs by time.
    await db.query('CREATE INDEX marketplace_fulfilments_order ON marketplace_fulfilments (order_id)');
    await db.query('CREATE INDEX supplier_sync_runs_started ON supplier_sync_runs (started_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX supplier_sync_runs_started');
    await db.query('DROP INDEX marketplace_fulfilments_order');
    for (const table of ['profitability_metrics', 'reports', 'exchange_rates']) await db.query(`DROP TABLE ${table}`);
  }
}
