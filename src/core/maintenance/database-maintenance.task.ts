import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Task, type TaskHandler } from '../tasks/task.decorator.js';

export class DatabaseMaintenanceArguments {
  /** Task run history older than this many days is pruned; TASK_HISTORY_RETENTION_DAYS when omitted. */
  @IsOptional() @IsInt() @Min(1)
  history_days?: number;

  /** VACUUM (ANALYZE) the busy tables; false only prunes. */
  @IsOptional() @IsBoolean()
  vacuum = true;
}

/** Tables always vacuumed: they churn by design. Others are vacuumed when Postgres's statistics show churn. */
const ALWAYS_VACUUM = ['task_runs', 'health_checks'];
const CHURN_ROWS = 1000;
const DELETE_BATCH = 10_000;

@Injectable()
@Task({
  name: 'database_maintenance',
  queue: 'maintenance',
  description: 'Prune task run history and health snapshots past retention, then VACUUM (ANALYZE) the busy tables',
  arguments: DatabaseMaintenanceArguments,
  positional: ['history_days', 'vacuum'],
  attempts: 2,
})
export class DatabaseMaintenanceTask implements TaskHandler<DatabaseMaintenanceArguments> {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async run({ history_days = this.config.tasks.historyRetentionDays, vacuum }: DatabaseMaintenanceArguments) {
    const started = Date.now();
    const prunedTaskRuns = await this.pruneInBatches(
      `DELETE FROM task_runs WHERE id IN (SELECT id FROM task_runs WHERE updated_at < now() - make_interval(days => $1) AND finished_at < now() - make_interval(days => $1) AND state IN ('succeeded', 'failed', 'cancelled') LIMIT ${DELETE_BATCH})`,
      history_days,
    );
    const prunedHealthChecks = await this.pruneInBatches(
      `DELETE FROM health_checks WHERE id IN (SELECT id FROM health_checks WHERE checked_at < now() - make_interval(days => $1) LIMIT ${DELETE_BATCH})`,
      this.config.health.historyRetentionDays,
    );

    const vacuumed: { table: string; deadRowsBefore: number; ms: number }[] = [];
    if (vacuum) {
      const busy: { relname: string; n_dead_tup: string }[] = await this.db.query(
        `SELECT relname, n_dead_tup FROM pg_stat_user_tables
          WHERE schemaname = current_schema() AND (relname = ANY($1) OR n_dead_tup > $2 OR n_mod_since_analyze > $2)
          ORDER BY n_dead_tup DESC`,
        [ALWAYS_VACUUM, CHURN_ROWS],
      );
      for (const table of busy) {
        const t = Date.now();
        // VACUUM cannot run inside a transaction; DataSource.query runs it on its own connection in autocommit.
        await this.db.query(`VACUUM (ANALYZE) "${table.relname.replace(/"/g, '""')}"`);
        vacuumed.push({ table: table.relname, deadRowsBefore: Number(table.n_dead_tup), ms: Date.now() - t });
      }
    }
    const [{ size }] = await this.db.query('SELECT pg_database_size(current_database())::bigint AS size');
    return { historyRetentionDays: history_days, prunedTaskRuns, prunedHealthChecks, vacuumed, databaseSizeBytes: Number(size), durationMs: Date.now() - started };
  }

  /** Deletes in bounded batches so a large backlog never holds one long lock. */
  private async pruneInBatches(sql: string, days: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected] = (await this.db.query(sql, [days])) as [unknown, number];
      total += affected;
      if (affected < DELETE_BATCH) return total;
    }
  }
}
