import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workflows (DAGs of tasks), their executions and step runs. */
export class Workflows1764200000000 implements MigrationInterface {
  name = 'Workflows1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE workflows (
        id                 serial PRIMARY KEY,
        name               text NOT NULL UNIQUE,
        description        text NOT NULL DEFAULT '',
        enabled            boolean NOT NULL DEFAULT true,
        cron               text,
        timezone           text NOT NULL DEFAULT 'UTC',
        input_defaults     jsonb NOT NULL DEFAULT '{}',
        steps              jsonb NOT NULL,
        version            int NOT NULL DEFAULT 1,
        last_scheduled_for timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE workflow_executions (
        id               uuid PRIMARY KEY,
        workflow_id      int NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
        workflow_version int NOT NULL,
        steps            jsonb NOT NULL,
        trigger          text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'api', 'retry')),
        input            jsonb NOT NULL DEFAULT '{}',
        state            text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
        error            text,
        scheduled_for    timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        started_at       timestamptz,
        finished_at      timestamptz,
        UNIQUE (workflow_id, scheduled_for)
      )`);
    await db.query('CREATE INDEX workflow_executions_workflow_created ON workflow_executions (workflow_id, created_at DESC)');
    await db.query('CREATE INDEX workflow_executions_state_finished ON workflow_executions (state, finished_at)');
    await db.query(`
      CREATE TABLE workflow_step_runs (
        execution_id uuid NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
        step_id      text NOT NULL,
        task         text NOT NULL,
        state        text NOT NULL CHECK (state IN ('pending', 'queued', 'succeeded', 'failed', 'cancelled')),
        generation   int NOT NULL DEFAULT 0,
        attempts     int NOT NULL DEFAULT 0,
        result       jsonb,
        error        text,
        task_run_id  uuid,
        queued_at    timestamptz,
        finished_at  timestamptz,
        PRIMARY KEY (execution_id, step_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE workflow_step_runs');
    await db.query('DROP TABLE workflow_executions');
    await db.query('DROP TABLE workflows');
  }
}
