import { resolve } from 'node:path';
import { startServer, type ServerProcess } from '../support/processes.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

const PROCESS = resolve(process.cwd(), 'test', 'reliability', 'reliability-worker.js');
// Ten minutes of one-second ticks by default; REL_SCHEDULE_SECONDS shortens it while developing.
const SECONDS = Number(process.env.REL_SCHEDULE_SECONDS ?? 600);

/**
 * Two schedulers and three workers on one installation, with a schedule that ticks every second
 * (time accelerated: a tick a second instead of a tick a minute): every tick fires exactly once.
 */
describe('reliability: two schedulers, three workers', () => {
  let t: TestEnv;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    t = await createTestEnv({ SCHEDULER_SYNC_MS: '500', QUEUE_MAINTENANCE_CONCURRENCY: '2', REL_WORK_MS: '5' });
    await t.db.query('CREATE TABLE rel_effects (run_id uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    await t.db.query('CREATE TABLE rel_executions (run_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT now())');
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await t.cleanup();
  });

  it(`fires each of ${SECONDS} one-second ticks once, never twice, however many schedulers run`, async () => {
    for (const role of ['scheduler', 'scheduler', 'worker', 'worker', 'worker']) {
      processes.push(await startServer({ ...t.env, APP_ROLES: role, WORKER_QUEUES: 'maintenance' }, undefined, 30000, PROCESS));
    }
    await t.db.query(
      `INSERT INTO periodic_tasks (name, task, args, kwargs, cron, timezone, enabled, one_off, total_run_count, description)
       VALUES ('every second', 'rel_effect', '[]', '{}', '* * * * * *', 'UTC', true, false, 0, 'reliability')`,
    );
    await new Promise((done) => setTimeout(done, SECONDS * 1000));
    await t.db.query("UPDATE periodic_tasks SET enabled = false WHERE name = 'every second'");
    await new Promise((done) => setTimeout(done, 3000));

    const seconds = (await t.db.query("SELECT date_trunc('second', queued_at) AS second, count(*)::int AS n FROM task_runs WHERE task = 'rel_effect' GROUP BY 1 ORDER BY 1")).rows;
    const twice = seconds.filter((s: { n: number }) => s.n > 1);
    expect(twice).toEqual([]);
    // Ticks run from the first fire to the disabling: allow the first sync and the edges.
    expect(seconds.length).toBeGreaterThanOrEqual(SECONDS - 3);
    const effects = Number((await t.db.query('SELECT count(*) FROM rel_effects')).rows[0].count);
    expect(effects).toBe(seconds.length);
    // Both schedulers and all three workers were alive throughout.
    expect(processes.every((p) => p.child.exitCode === null)).toBe(true);
  }, SECONDS * 1000 + 120000);
});
