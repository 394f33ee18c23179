import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's live feed asks every two seconds for the runs updated since its last push: with
 * no index on updated_at that was a scan of the whole history per open dashboard. The index on
 * updated_at replaces the one on finished_at, so a history write still maintains as many indexes;
 * what finished in a window was also updated in it, so the throughput chart and the history
 * pruning narrow by updated_at first.
 */
export class TaskRunUpdatedAt1764700000000 implements MigrationInterface {
  name = 'TaskRunUpdatedAt1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX task_runs_updated_at ON task_runs (updated_at)');
    await db.query('DROP INDEX task_runs_finished_at');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX task_runs_finished_at ON task_runs (finished_at) WHERE finished_at IS NOT NULL');
    await db.query('DROP INDEX task_runs_updated_at');
  }
}
