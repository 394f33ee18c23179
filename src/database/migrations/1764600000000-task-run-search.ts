import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trigram index over a run's arguments and error, for the dashboard's "text in args or error"
 * filter: without it a text that no run contains scans all of task_runs (a second per million
 * rows). pg_trgm is a trusted extension, so the database owner can create it.
 */
export class TaskRunSearch1764600000000 implements MigrationInterface {
  name = 'TaskRunSearch1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.query(`CREATE INDEX task_runs_search_trgm ON task_runs USING gin ((args::text || ' ' || kwargs::text || ' ' || coalesce(error, '')) gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX task_runs_search_trgm');
  }
}
