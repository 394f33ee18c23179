import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskFailedError } from '../src/core/errors.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { bootApp } from './support/app.js';
import { createTestEnv, type TestEnv } from './support/test-env.js';

const DAY = 24 * 60 * 60 * 1000;

describe('maintenance tasks', () => {
  let t: TestEnv;
  let app: INestApplication;
  let runner: TaskRunner;
  beforeAll(async () => {
    t = await createTestEnv();
    ({ app } = await bootApp(t.env, [], { cli: true }));
    runner = app.get(TaskRunner);
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  describe('backup_database', () => {
    it('writes a custom-format dump that pg_restore --list accepts, and keeps the newest N', async () => {
      await t.db.query("INSERT INTO health_checks (status, checks) VALUES ('ok', '{\"marker\": \"backup-me\"}')");
      const paths: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const { result } = await runner.runNow({ task: 'backup_database', kwargs: { keep: 2 } });
        const report = result as { path: string; sizeBytes: number; entries: number; verified: boolean; removed: string[] };
        expect(report.verified).toBe(true);
        expect(report.sizeBytes).toBe(statSync(report.path).size);
        paths.push(report.path);
      }
      const listing = execFileSync('pg_restore', ['--list', paths[2]]).toString();
      expect(listing).toMatch(/TABLE public task_runs/);
      expect(listing).toMatch(/TABLE DATA public health_checks/);
      expect(readdirSync(t.env.BACKUP_DIR).sort()).toEqual([paths[1], paths[2]].map((p) => p.split('/').pop()).sort());
      // The data itself is in the dump.
      expect(execFileSync('pg_restore', ['--data-only', '--table=health_checks', '-f', '-', paths[2]]).toString()).toContain('backup-me');
    });

    it('a missing pg_dump is a clear error that is not retried', async () => {
      const { app: broken } = await bootApp({ ...t.env, PG_DUMP_PATH: '/nonexistent/pg_dump' }, [], { cli: true });
      try {
        const error = await broken.get(TaskRunner).runNow({ task: 'backup_database' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TaskFailedError);
        expect((error as Error).message).toMatch(/\/nonexistent\/pg_dump was not found on this machine\. Install the PostgreSQL client tools/);
        expect(readdirSync(t.env.BACKUP_DIR).filter((name) => name.endsWith('.partial'))).toEqual([]);
      } finally {
        await broken.close();
      }
    });
  });

  describe('cleanup_system_logs', () => {
    it('removes rotated files past retention, truncates stale live logs, and leaves the rest', async () => {
      const dir = join(t.dir, 'logs-cleanup');
      const { app: scoped } = await bootApp({ ...t.env, LOG_DIR: dir }, [], { cli: true });
      try {
        mkdirSync(dir, { recursive: true });
        const file = (name: string, bytes: number, ageDays: number) => {
          writeFileSync(join(dir, name), 'x'.repeat(bytes));
          const when = new Date(Date.now() - ageDays * DAY);
          utimesSync(join(dir, name), when, when);
        };
        file('suppliers.log.1', 1000, 30);
        file('suppliers.log.2026-10-01.gz', 500, 20);
        file('suppliers.log.2', 700, 1);
        file('retired_queue.log', 300, 40);
        file('api.log', 200, 0);
        const { result } = await scoped.get(TaskRunner).runNow({ task: 'cleanup_system_logs', kwargs: { days: 14 } });
        expect(result).toMatchObject({ removed: expect.arrayContaining(['suppliers.log.1', 'suppliers.log.2026-10-01.gz']), truncated: ['retired_queue.log'], freedBytes: 1800 });
        expect((result as { removed: string[] }).removed).toHaveLength(2);
        // maintenance.log is this process's own task log (the task runs on the maintenance queue).
        expect(readdirSync(dir).filter((name) => name !== 'maintenance.log').sort()).toEqual(['api.log', 'retired_queue.log', 'suppliers.log.2']);
        expect(statSync(join(dir, 'retired_queue.log')).size).toBe(0);
        expect(statSync(join(dir, 'api.log')).size).toBe(200);

        // Over the size cap: the oldest rotated copies go first, then the largest live log is truncated.
        file('maintenance.log.1', 700_000, 2);
        file('maintenance.log.2', 600_000, 0.5);
        file('maintenance.log', 1_100_000, 0);
        const capped = (await scoped.get(TaskRunner).runNow({ task: 'cleanup_system_logs', kwargs: { days: 14, max_total_mb: 1 } })).result as { removed: string[]; truncated: string[]; remainingBytes: number };
        expect(capped.removed).toEqual(['maintenance.log.1', 'suppliers.log.2', 'maintenance.log.2']);
        expect(capped.truncated).toEqual(['maintenance.log']);
        expect(capped.remainingBytes).toBeLessThanOrEqual(1024 * 1024);
        expect(readdirSync(dir).sort()).toEqual(['api.log', 'maintenance.log', 'retired_queue.log']);
        expect(statSync(join(dir, 'maintenance.log')).size).toBeLessThan(10_000);
      } finally {
        await scoped.close();
      }
    });
  });

  describe('database_maintenance', () => {
    it('prunes finished history past retention, never unfinished runs, and vacuums the busy tables', async () => {
      // As the history writer leaves them: a row was last updated when its latest state was written.
      const insert = (id: string, state: string, finishedDaysAgo: number | null) => {
        const finished = finishedDaysAgo === null ? 'NULL' : `now() - make_interval(days => ${finishedDaysAgo})`;
        return t.db.query(
          `INSERT INTO task_runs (id, task, queue, mode, state, queued_at, finished_at, updated_at) VALUES ($1, 'x', 'maintenance', 'queued', $2, now() - interval '60 days', ${finished}, ${finishedDaysAgo === null ? 'now()' : finished})`,
          [id, state],
        );
      };
      await insert('20000000-0000-4000-8000-000000000001', 'succeeded', 45);
      await insert('20000000-0000-4000-8000-000000000002', 'failed', 31);
      await insert('20000000-0000-4000-8000-000000000003', 'succeeded', 5);
      await insert('20000000-0000-4000-8000-000000000004', 'started', null);
      await insert('20000000-0000-4000-8000-000000000005', 'retrying', null);
      await t.db.query("INSERT INTO health_checks (checked_at, status, checks) VALUES (now() - interval '90 days', 'ok', '{}')");

      const { result } = await runner.runNow({ task: 'database_maintenance', args: [30] });
      const report = result as { prunedTaskRuns: number; prunedHealthChecks: number; vacuumed: { table: string }[]; databaseSizeBytes: number };
      expect(report.prunedTaskRuns).toBe(2);
      expect(report.prunedHealthChecks).toBe(1);
      expect(report.vacuumed.map((v) => v.table)).toEqual(expect.arrayContaining(['task_runs', 'health_checks']));
      expect(report.databaseSizeBytes).toBeGreaterThan(0);
      const { rows } = await t.db.query("SELECT id FROM task_runs WHERE id::text LIKE '20000000-%' ORDER BY id");
      expect(rows.map((r: { id: string }) => r.id.slice(-1))).toEqual(['3', '4', '5']);
      const vacuumed = await t.db.query("SELECT last_vacuum IS NOT NULL AS done FROM pg_stat_user_tables WHERE relname = 'task_runs'");
      expect(vacuumed.rows[0].done).toBe(true);
    });
  });
});
