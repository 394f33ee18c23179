import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { TaskRunner } from '../../src/core/tasks/task-runner.js';
import { Task, type TaskHandler } from '../../src/core/tasks/task.decorator.js';
import { bootApp } from '../support/app.js';
import { startServer } from '../support/processes.js';
import { createTestEnv, eventually, type TestEnv } from '../support/test-env.js';

const WORKER = resolve(process.cwd(), 'test', 'reliability', 'reliability-worker.js');

@Injectable()
@Task({ name: 'rel_effect', queue: 'maintenance', description: 'one counted side effect (reliability tests)', attempts: 10, backoffMs: 100 })
class RelEffectDeclaration implements TaskHandler {
  async run(): Promise<never> {
    throw new Error('rel_effect runs in test/reliability/reliability-worker.js');
  }
}

@Module({ providers: [RelEffectDeclaration] })
class RelTasks {}

/** Restarts this machine's PostgreSQL cluster, as the CI and test setup start it. */
function restartPostgres(): void {
  const version = readdirSync('/etc/postgresql')[0];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast'], { stdio: 'ignore' });
}

describe('reliability: PostgreSQL restarted mid-run', () => {
  let t: TestEnv;
  let app: INestApplication;
  let pool: pg.Pool;

  beforeAll(async () => {
    t = await createTestEnv();
    // The restart ends every connection: these two are expected to see it.
    t.db.on('error', () => undefined);
    pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE rel_effects (run_id uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    await pool.query('CREATE TABLE rel_executions (run_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    ({ app } = await bootApp(t.env, [RelTasks], { cli: true }));
  });
  afterAll(async () => {
    await pool.end();
    await t.cleanup();
  });

  const count = async (sql: string) => eventually(async () => Number((await pool.query(sql)).rows[0].count), 30000, sql).catch(() => -1);

  it('tasks whose database calls fail retry and succeed; run history ends consistent', async () => {
    const jobs = 300;
    await app.get(TaskRunner).enqueueMany(Array.from({ length: jobs }, () => ({ task: 'rel_effect' })));
    await app.close();
    const worker = await startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance', QUEUE_MAINTENANCE_CONCURRENCY: '5', REL_WORK_MS: '30' }, undefined, 30000, WORKER);
    await eventually(async () => Number((await pool.query('SELECT count(*) FROM rel_effects')).rows[0].count) >= 40, 30000, 'work to start');
    restartPostgres();
    await eventually(async () => Number((await pool.query('SELECT count(*) FROM rel_effects')).rows[0].count) === jobs, 120000, `all ${jobs} effects after the restart`);
    // The history writer kept its buffer through the outage: every run ends succeeded, none lost.
    await eventually(async () => Number((await pool.query("SELECT count(*) FROM task_runs WHERE task = 'rel_effect' AND state = 'succeeded'")).rows[0].count) === jobs, 60000, 'history to catch up');
    expect(await count("SELECT count(*) FROM task_runs WHERE task = 'rel_effect' AND state <> 'succeeded'")).toBe(0);
    expect(worker.child.exitCode).toBeNull();
    await worker.stop();
  }, 240000);
});
