import type { MigrationInterface, QueryRunner } from 'typeorm';

/** AI tasks and calls, product analyses, generated listings, customer feedback, chat sessions. */
export class AiAgents1764400000000 implements MigrationInterface {
  name = 'AiAgents1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ai_tasks (
        id          serial PRIMARY KEY,
        kind        text NOT NULL CHECK (kind IN ('analyze_product', 'generate_listing', 'analyze_text')),
        input       jsonb NOT NULL,
        output      jsonb,
        state       text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed')),
        provider    text,
        model       text,
        tokens_in   int NOT NULL DEFAULT 0,
        tokens_out  int NOT NULL DEFAULT 0,
        cost        numeric(12, 6) NOT NULL DEFAULT 0,
        latency_ms  int,
        error       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE ai_calls (
        id         bigserial PRIMARY KEY,
        provider   text NOT NULL,
        model      text NOT NULL,
        purpose    text NOT NULL,
        tokens_in  int NOT NULL DEFAULT 0,
        tokens_out int NOT NULL DEFAULT 0,
        cost       numeric(12, 6) NOT NULL DEFAULT 0,
        latency_ms int NOT NULL,
        ok         boolean NOT NULL,
        error      text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX ai_calls_provider_created ON ai_calls (provider, created_at)');
    await db.query(`
      CREATE TABLE product_analyses (
        id                  bigserial PRIMARY KEY,
        supplier_product_id bigint NOT NULL REFERENCES supplier_products (id) ON DELETE CASCADE,
        content_hash        text NOT NULL,
        provider            text NOT NULL,
        score               int NOT NULL,
        word_count          int NOT NULL,
        readability         numeric(6, 2),
        missing_attributes  jsonb NOT NULL DEFAULT '[]',
        keywords            jsonb NOT NULL DEFAULT '[]',
        suggestions         jsonb NOT NULL DEFAULT '[]',
        analyzed_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (supplier_product_id, content_hash)
      )`);
    await db.query(`
      CREATE TABLE generated_listings (
        id                  bigserial PRIMARY KEY,
        marketplace_id      int NOT NULL REFERENCES marketplaces (id) ON DELETE CASCADE,
        supplier_product_id bigint NOT NULL REFERENCES supplier_products (id) ON DELETE CASCADE,
        content_hash        text NOT NULL,
        title               text NOT NULL,
        description         text NOT NULL,
        bullet_points       jsonb NOT NULL DEFAULT '[]',
        tags                jsonb NOT NULL DEFAULT '[]',
        state               text NOT NULL CHECK (state IN ('draft', 'approved', 'rejected', 'published')),
        provider            text NOT NULL,
        model               text NOT NULL,
        external_product_id text,
        published_at        timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        UNIQUE (marketplace_id, supplier_product_id, content_hash)
      )`);
    await db.query(`
      CREATE TABLE customer_feedback (
        id                  bigserial PRIMARY KEY,
        marketplace_id      int REFERENCES marketplaces (id) ON DELETE SET NULL,
        order_id            bigint REFERENCES marketplace_orders (id) ON DELETE SET NULL,
        supplier_product_id bigint REFERENCES supplier_products (id) ON DELETE SET NULL,
        text                text NOT NULL,
        rating              int CHECK (rating BETWEEN 1 AND 5),
        received_at         timestamptz NOT NULL DEFAULT now(),
        sentiment_score     numeric(5, 3),
        sentiment_label     text CHECK (sentiment_label IN ('positive', 'neutral', 'negative')),
        aspects             jsonb,
        provider            text,
        analyzed_at         timestamptz
      )`);
    await db.query('CREATE INDEX customer_feedback_unanalyzed ON customer_feedback (received_at) WHERE analyzed_at IS NULL');
    await db.query('CREATE INDEX customer_feedback_product ON customer_feedback (supplier_product_id)');
    await db.query(`
      CREATE TABLE product_feedback_summaries (
        supplier_product_id bigint PRIMARY KEY REFERENCES supplier_products (id) ON DELETE CASCADE,
        reviews             int NOT NULL,
        average_score       numeric(5, 3) NOT NULL,
        average_rating      numeric(3, 2),
        positive            int NOT NULL,
        neutral             int NOT NULL,
        negative            int NOT NULL,
        aspects             jsonb NOT NULL,
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE chat_sessions (
        id               uuid PRIMARY KEY,
        title            text NOT NULL,
        provider         text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX chat_sessions_last_activity ON chat_sessions (last_activity_at)');
    await db.query(`
      CREATE TABLE chat_messages (
        id         bigserial PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
        role       text NOT NULL CHECK (role IN ('user', 'assistant')),
        content    text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX chat_messages_session ON chat_messages (session_id, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['chat_messages', 'chat_sessions', 'product_feedback_summaries', 'customer_feedback', 'generated_listings', 'product_analyses', 'ai_calls', 'ai_tasks']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
