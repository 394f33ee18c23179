import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Task run history and system health snapshots. */
export class CoreTables1764000000000 implements MigrationInterface {
  name = 'CoreTables1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_runs (
        id          uuid PRIMARY KEY,
        task        text NOT NULL,
        queue       text NOT NULL,
        mode        text NOT NULL CHECK (mode IN ('inline', 'queued')),
        args        jsonb NOT NULL DEFAULT '[]',
        kwargs      jsonb NOT NULL DEFAULT '{}',
        state       text NOT NULL CHECK (state IN ('queued', 'started', 'retrying', 'succeeded', 'failed', 'cancelled')),
        state_seq   int NOT NULL DEFAULT 0,
        result      jsonb,
        error       text,
        stack       text,
        attempts    int NOT NULL DEFAULT 0,
        worker      text,
        queued_at   timestamptz NOT NULL,
        started_at  timestamptz,
        finished_at timestamptz,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX task_runs_queued_at ON task_runs (queued_at DESC)`);
    await db.query(`CREATE INDEX task_runs_task_queued_at ON task_runs (task, queued_at DESC)`);
    await db.query(`CREATE INDEX task_runs_state_queued_at ON task_runs (state, queued_at DESC)`);
    await db.query(`CREATE INDEX task_runs_queue_queued_at ON task_runs (queue, queued_at DESC)`);
    await db.query(`CREATE INDEX task_runs_finished_at ON task_runs (finished_at) WHERE finished_at IS NOT NULL`);

    await db.query(`
      CREATE TABLE health_checks (
        id         bigserial PRIMARY KEY,
        checked_at timestamptz NOT NULL DEFAULT now(),
        status     text NOT NULL CHECK (status IN ('ok', 'warning', 'critical')),
        checks     jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX health_checks_checked_at ON health_checks (checked_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE health_checks');
    await db.query('DROP TABLE task_runs');
  }
}
