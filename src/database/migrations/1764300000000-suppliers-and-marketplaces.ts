import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Suppliers and their catalogues; marketplaces, their listings, orders and fulfilments. */
export class SuppliersAndMarketplaces1764300000000 implements MigrationInterface {
  name = 'SuppliersAndMarketplaces1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE suppliers (
        id               serial PRIMARY KEY,
        name             text NOT NULL UNIQUE,
        kind             text NOT NULL CHECK (kind IN ('feed', 'api')),
        settings         jsonb NOT NULL DEFAULT '{}',
        credentials      text,
        is_active        boolean NOT NULL DEFAULT true,
        sync_cursor      timestamptz,
        last_sync_at     timestamptz,
        last_sync_status text CHECK (last_sync_status IN ('running', 'succeeded', 'failed')),
        last_sync_error  text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE supplier_products (
        id              bigserial PRIMARY KEY,
        supplier_id     int NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
        sku             text NOT NULL,
        title           text NOT NULL,
        description     text NOT NULL DEFAULT '',
        images          jsonb NOT NULL DEFAULT '[]',
        cost            numeric(12, 2) NOT NULL,
        currency        char(3) NOT NULL,
        stock           int NOT NULL,
        attributes      jsonb NOT NULL DEFAULT '{}',
        content_hash    text NOT NULL,
        first_seen_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        discontinued_at timestamptz,
        UNIQUE (supplier_id, sku)
      )`);
    await db.query('CREATE INDEX supplier_products_sku ON supplier_products (sku)');
    await db.query(`
      CREATE TABLE supplier_sync_runs (
        id           serial PRIMARY KEY,
        supplier_id  int NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('full', 'incremental', 'inventory')),
        state        text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
        task_run_id  uuid,
        started_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        created      int NOT NULL DEFAULT 0,
        updated      int NOT NULL DEFAULT 0,
        unchanged    int NOT NULL DEFAULT 0,
        discontinued int NOT NULL DEFAULT 0,
        failed       int NOT NULL DEFAULT 0,
        errors       jsonb NOT NULL DEFAULT '[]',
        error        text
      )`);
    await db.query('CREATE INDEX supplier_sync_runs_supplier_started ON supplier_sync_runs (supplier_id, started_at DESC)');
    await db.query(`
      CREATE TABLE supplier_product_changes (
        id                  bigserial PRIMARY KEY,
        supplier_product_id bigint NOT NULL REFERENCES supplier_products (id) ON DELETE CASCADE,
        sync_run_id         int REFERENCES supplier_sync_runs (id) ON DELETE SET NULL,
        old_stock           int,
        new_stock           int NOT NULL,
        old_cost            numeric(12, 2),
        new_cost            numeric(12, 2) NOT NULL,
        changed_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX supplier_product_changes_product ON supplier_product_changes (supplier_product_id, changed_at)');
    await db.query('CREATE INDEX supplier_product_changes_changed ON supplier_product_changes (changed_at)');

    await db.query(`
      CREATE TABLE marketplaces (
        id                  serial PRIMARY KEY,
        name                text NOT NULL UNIQUE,
        platform            text NOT NULL CHECK (platform IN ('shopify', 'woocommerce')),
        settings            jsonb NOT NULL DEFAULT '{}',
        credentials         text,
        is_active           boolean NOT NULL DEFAULT true,
        orders_cursor       timestamptz,
        listings_synced_at  timestamptz,
        orders_synced_at    timestamptz,
        inventory_pushed_at timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE marketplace_listings (
        id                  bigserial PRIMARY KEY,
        marketplace_id      int NOT NULL REFERENCES marketplaces (id) ON DELETE CASCADE,
        external_product_id text NOT NULL,
        external_variant_id text NOT NULL,
        inventory_item_id   text,
        sku                 text,
        title               text NOT NULL,
        price               numeric(12, 2),
        status              text NOT NULL,
        supplier_product_id bigint REFERENCES supplier_products (id) ON DELETE SET NULL,
        quantity_pushed     int,
        pushed_at           timestamptz,
        synced_at           timestamptz NOT NULL DEFAULT now(),
        UNIQUE (marketplace_id, external_variant_id)
      )`);
    await db.query('CREATE INDEX marketplace_listings_supplier_product ON marketplace_listings (supplier_product_id)');
    await db.query(`
      CREATE TABLE marketplace_orders (
        id                bigserial PRIMARY KEY,
        marketplace_id    int NOT NULL REFERENCES marketplaces (id) ON DELETE CASCADE,
        external_id       text NOT NULL,
        order_number      text NOT NULL,
        status            text NOT NULL CHECK (status IN ('pending', 'paid', 'partially_fulfilled', 'fulfilled', 'cancelled', 'refunded', 'failed')),
        platform_status   text NOT NULL,
        customer_country  char(2),
        currency          char(3) NOT NULL,
        subtotal          numeric(12, 2) NOT NULL,
        total             numeric(12, 2) NOT NULL,
        placed_at         timestamptz NOT NULL,
        remote_updated_at timestamptz NOT NULL,
        synced_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (marketplace_id, external_id)
      )`);
    await db.query('CREATE INDEX marketplace_orders_placed ON marketplace_orders (placed_at)');
    await db.query('CREATE INDEX marketplace_orders_status ON marketplace_orders (status)');
    await db.query(`
      CREATE TABLE marketplace_order_lines (
        id                  bigserial PRIMARY KEY,
        order_id            bigint NOT NULL REFERENCES marketplace_orders (id) ON DELETE CASCADE,
        external_line_id    text NOT NULL,
        sku                 text,
        title               text NOT NULL,
        quantity            int NOT NULL,
        unit_price          numeric(12, 2) NOT NULL,
        unit_cost           numeric(12, 2),
        supplier_product_id bigint REFERENCES supplier_products (id) ON DELETE SET NULL,
        UNIQUE (order_id, external_line_id)
      )`);
    await db.query('CREATE INDEX marketplace_order_lines_supplier_product ON marketplace_order_lines (supplier_product_id)');
    await db.query(`
      CREATE TABLE marketplace_fulfilments (
        id                     bigserial PRIMARY KEY,
        order_id               bigint NOT NULL REFERENCES marketplace_orders (id) ON DELETE CASCADE,
        tracking_number        text NOT NULL,
        carrier                text NOT NULL,
        tracking_url           text,
        external_fulfilment_id text,
        state                  text NOT NULL CHECK (state IN ('pending', 'created')),
        created_at             timestamptz NOT NULL DEFAULT now(),
        completed_at           timestamptz,
        UNIQUE (order_id, tracking_number)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'marketplace_fulfilments',
      'marketplace_order_lines',
      'marketplace_orders',
      'marketplace_listings',
      'marketplaces',
      'supplier_product_changes',
      'supplier_sync_runs',
      'supplier_products',
      'suppliers',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
