import { readFileSync } from 'node:fs';
import { runCli, startServer, type ServerProcess } from './support/processes.js';
import { createTestEnv, eventually, type TestEnv } from './support/test-env.js';

describe('setup-beat', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createTestEnv();
  });
  afterAll(() => t.cleanup());

  const schedules = async () => (await t.db.query('SELECT name, task, cron, enabled FROM periodic_tasks ORDER BY name')).rows;

  it('creates exactly the ten defaults once, never overwriting an edited one; --reset restores them', async () => {
    const first = await runCli(['setup-beat'], t.env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created 10 periodic task\(s\)/);
    expect(await schedules()).toEqual([
      { name: 'AI Session Cleanup', task: 'cleanup_ai_sessions', cron: '0 1 * * *', enabled: true },
      { name: 'Clean Up Old Executions', task: 'cleanup_old_executions', cron: '0 2 * * *', enabled: true },
      { name: 'Database Backup', task: 'backup_database', cron: '0 3 * * *', enabled: true },
      { name: 'Database Maintenance', task: 'database_maintenance', cron: '0 3 * * 0', enabled: true },
      { name: 'Generate Daily Reports', task: 'generate_daily_reports', cron: '0 0 * * *', enabled: true },
      { name: 'Sync All Suppliers', task: 'sync_all_suppliers', cron: '0 * * * *', enabled: true },
      { name: 'Sync Marketplace Inventory', task: 'sync_all_marketplace_inventory', cron: '*/30 * * * *', enabled: true },
      { name: 'Sync Marketplace Orders', task: 'sync_all_marketplace_orders', cron: '*/15 * * * *', enabled: true },
      { name: 'System Health Check', task: 'system_health_check', cron: '*/5 * * * *', enabled: true },
      { name: 'System Log Cleanup', task: 'cleanup_system_logs', cron: '0 4 * * 0', enabled: true },
    ]);

    await t.db.query("UPDATE periodic_tasks SET cron = '*/10 * * * *' WHERE name = 'System Health Check'");
    const again = await runCli(['setup-beat'], t.env);
    expect(again.stdout).toBe('created 0 periodic task(s)\nkept 10 existing (not overwritten)\n');
    expect((await schedules()).find((s) => s.name === 'System Health Check').cron).toBe('*/10 * * * *');

    const reset = await runCli(['setup-beat', '--reset'], t.env);
    expect(reset.stdout).toMatch(/^reset: recreated 10 default periodic tasks/);
    expect((await schedules()).find((s) => s.name === 'System Health Check').cron).toBe('*/5 * * * *');
  });

  it('--disable-all, --enable-all and --list', async () => {
    expect((await runCli(['setup-beat', '--disable-all'], t.env)).stdout).toBe('disabled 10 periodic task(s)\n');
    expect((await schedules()).every((s) => !s.enabled)).toBe(true);
    const listed = await runCli(['setup-beat', '--list'], t.env);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TASK\s+SCHEDULE\s+ENABLED\s+LAST RUN\s+NEXT RUN\s+RUNS$/);
    expect(lines.find((l) => l.startsWith('System Health Check'))).toMatch(/system_health_check\s+\*\/5 \* \* \* \* \(UTC\)\s+no\s+-\s+-\s+0$/);
    expect((await runCli(['setup-beat', '--enable-all', '--list'], t.env)).stdout).toMatch(/^enabled 10 periodic task\(s\)\n/);
    const enabled = (await runCli(['setup-beat', '--list'], t.env)).stdout.split('\n').find((l) => l.startsWith('System Health Check'));
    expect(enabled).toMatch(/yes\s+-\s+\d{4}-\d\d-\d\d \d\d:\d[05]:00Z\s+0$/);
    const both = await runCli(['setup-beat', '--enable-all', '--disable-all'], t.env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--enable-all and --disable-all contradict each other');
  });
});

describe('scheduler role', () => {
  let t: TestEnv;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    t = await createTestEnv({ SCHEDULER_SYNC_MS: '1000' });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await t.cleanup();
  });
  const start = async (env: Record<string, string>) => {
    const server = await startServer({ ...t.env, ...env });
    processes.push(server);
    return server;
  };
  const addSchedule = (name: string, task: string, cron: string, extra = '') =>
    t.db.query(`INSERT INTO periodic_tasks (name, task, cron, timezone${extra ? ', one_off' : ''}) VALUES ($1, $2, $3, 'UTC'${extra ? `, ${extra}` : ''}) RETURNING id`, [name, task, cron]).then((r) => r.rows[0].id as number);
  const runsOf = async (task: string) => (await t.db.query("SELECT state, queued_at FROM task_runs WHERE task = $1 ORDER BY queued_at", [task])).rows;

  it('two schedulers fire each tick exactly once, the runs reach a worker, and edits apply live', async () => {
    const id = await addSchedule('every second', 'cleanup_system_logs', '* * * * * *');
    await start({ APP_ROLES: 'scheduler' });
    await start({ APP_ROLES: 'scheduler' });
    await start({ APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance', QUEUE_MAINTENANCE_CONCURRENCY: '4' });

    await eventually(async () => (await runsOf('cleanup_system_logs')).filter((r) => r.state === 'succeeded').length >= 6, 20000, 'six runs to succeed');
    // Disable it: within SCHEDULER_SYNC_MS (1 s here, 5 s by default) both schedulers stop firing it.
    await t.db.query('UPDATE periodic_tasks SET enabled = false WHERE id = $1', [id]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const settled = (await runsOf('cleanup_system_logs')).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const runs = await runsOf('cleanup_system_logs');
    expect(runs.length).toBe(settled);

    const claims = await t.redis.keys(`${t.prefix}:beat:${id}:*`);
    const ticks = claims.map((key) => Number(key.split(':').pop())).sort();
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(runs.length).toBe(ticks.length);
    const seconds = runs.map((r) => Math.floor(r.queued_at.getTime() / 1000));
    expect(new Set(seconds).size).toBe(runs.length);
    expect(ticks.every((ms) => ms % 1000 === 0)).toBe(true);
    const { rows } = await t.db.query('SELECT total_run_count, last_run_at FROM periodic_tasks WHERE id = $1', [id]);
    expect(rows[0].total_run_count).toBe(runs.length);
    expect(rows[0].last_run_at.getTime()).toBe(ticks[ticks.length - 1]);
    await eventually(async () => (await runsOf('cleanup_system_logs')).every((r) => r.state === 'succeeded'), 10000, 'every run to finish');
  });

  it('picks up a new schedule live; a one-off fires once and disables itself; an unregistered task is a warning, not a crash', async () => {
    const oneOff = await addSchedule('once', 'system_health_check', '* * * * * *', 'true');
    await addSchedule('later issue', 'task_from_a_later_release', '* * * * * *');
    await eventually(async () => (await runsOf('system_health_check')).some((r) => r.state === 'succeeded'), 15000, 'the one-off to run');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await runsOf('system_health_check')).length).toBe(1);
    const { rows } = await t.db.query('SELECT enabled, total_run_count FROM periodic_tasks WHERE id = $1', [oneOff]);
    expect(rows[0]).toEqual({ enabled: false, total_run_count: 1 });
    const log = readFileSync(`${t.env.LOG_DIR}/scheduler.log`, 'utf8');
    expect(log).toMatch(/"schedule":"later issue","task":"task_from_a_later_release","msg":"schedule names a task that is not registered yet; skipping its ticks until it is"/);
    expect(processes.every((p) => p.child.exitCode === null)).toBe(true);
  });
});
