import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Periodic tasks: the scheduler's schedules (Celery Beat's DatabaseScheduler table). */
export class PeriodicTasks1764100000000 implements MigrationInterface {
  name = 'PeriodicTasks1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE periodic_tasks (
        id              serial PRIMARY KEY,
        name            text NOT NULL UNIQUE,
        task            text NOT NULL,
        args            jsonb NOT NULL DEFAULT '[]',
        kwargs          jsonb NOT NULL DEFAULT '{}',
        queue           text,
        cron            text NOT NULL,
        timezone        text NOT NULL DEFAULT 'UTC',
        enabled         boolean NOT NULL DEFAULT true,
        one_off         boolean NOT NULL DEFAULT false,
        start_time      timestamptz,
        expires_at      timestamptz,
        last_run_at     timestamptz,
        total_run_count int NOT NULL DEFAULT 0,
        description     text NOT NULL DEFAULT '',
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE periodic_tasks');
  }
}
