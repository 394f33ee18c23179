import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createTestEnv, eventually, type TestEnv } from './support/test-env.js';
import { runCli, startServer, type ServerProcess } from './support/processes.js';

describe('worker role (child process)', () => {
  let t: TestEnv;
  let worker: ServerProcess | undefined;
  beforeAll(async () => {
    t = await createTestEnv();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(() => t.cleanup());

  it('picks up a task enqueued with run-task --async --wait and records it succeeded with the stored snapshot', async () => {
    worker = await startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance' });
    const { code, stdout, stderr } = await runCli(['run-task', 'system_health_check', '--async', '--wait', '--timeout', '30'], t.env);
    expect(stderr).toMatch(/enqueued system_health_check on the maintenance queue as run [0-9a-f-]{36}; waiting for a worker/);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const runId = /as run ([0-9a-f-]{36})/.exec(stderr)![1];
    const row = await eventually(async () => {
      const { rows } = await t.db.query('SELECT * FROM task_runs WHERE id = $1', [runId]);
      return rows[0]?.state === 'succeeded' ? rows[0] : undefined;
    }, 10000, 'the history row to reach succeeded');
    expect(row).toMatchObject({ task: 'system_health_check', queue: 'maintenance', mode: 'queued', attempts: 1, result });
    expect(row.worker).toBe(`${hostname()}:${worker.child.pid}`);
    expect(row.started_at.getTime()).toBeGreaterThanOrEqual(row.queued_at.getTime());
    expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    const snapshot = await t.db.query('SELECT status, checks FROM health_checks WHERE id = $1', [result.id]);
    expect(snapshot.rows[0].status).toBe(result.status);
    expect(Object.keys(snapshot.rows[0].checks).sort()).toEqual(['cpu', 'database', 'disk', 'logs', 'memory', 'redis', 'workers']);
    // The worker that ran it saw itself online through its heartbeat.
    expect(result.checks.workers.online).toBeGreaterThanOrEqual(1);
  });

  it('--async prints the run id and returns at once; the worker runs it later', async () => {
    const { code, stdout } = await runCli(['run-task', 'cleanup_system_logs', '--async', '--kwargs', '{"days": 3}'], t.env);
    expect(code).toBe(0);
    const runId = stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const queued = await eventually(async () => (await t.db.query('SELECT state, kwargs FROM task_runs WHERE id = $1', [runId])).rows[0], 5000, 'the queued row');
    expect(queued).toEqual({ state: 'queued', kwargs: { days: 3 } });
    worker = await startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance' });
    await eventually(async () => (await t.db.query('SELECT state FROM task_runs WHERE id = $1', [runId])).rows[0]?.state === 'succeeded', 10000, 'the run to succeed');
  });

  it('WORKER_QUEUES and WORKER_CONCURRENCY: consumes only its queue, at that concurrency, and writes logs/<queue>.log', async () => {
    worker = await startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'suppliers', WORKER_CONCURRENCY: '2' });
    const beat = await eventually(async () => {
      const raw = await t.redis.get(`${t.prefix}:worker:${hostname()}:${worker!.child.pid}`);
      return raw ? JSON.parse(raw) : undefined;
    }, 5000, 'a heartbeat');
    expect(beat).toMatchObject({ roles: ['worker'], queues: ['suppliers'], concurrency: { suppliers: 2 }, pid: worker.child.pid });
    expect(beat.rssBytes).toBeGreaterThan(10_000_000);

    const { stdout } = await runCli(['run-task', 'system_health_check', '--async'], t.env);
    const runId = stdout.trim();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { rows } = await t.db.query('SELECT state FROM task_runs WHERE id = $1', [runId]);
    expect(rows[0].state).toBe('queued');
    expect(await t.redis.lrange(`${t.prefix}:maintenance:wait`, 0, -1)).toContain(runId);
    expect(readFileSync(`${t.env.LOG_DIR}/suppliers.log`, 'utf8')).toContain('"worker consuming queue"');
    // A clean stop takes the worker off the list at once.
    expect(await worker.stop()).toBe(0);
    worker = undefined;
    expect(await t.redis.zcard(`${t.prefix}:workers`)).toBe(0);
  });
});

describe('all roles in one process (the npm start default)', () => {
  let t: TestEnv;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    t = await createTestEnv();
  });
  afterAll(async () => {
    await server?.stop();
    await t.cleanup();
  });

  it('serves the API and health, and its own worker runs an enqueued task', async () => {
    server = await startServer({ ...t.env, APP_ROLES: 'all', PORT: '0', HOST: '127.0.0.1' });
    const url = /"url":"(http:\/\/[^"]+)"/.exec(server.output())![1].replace('[::1]', '127.0.0.1');
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const response = await fetch(`${url}/api/tasks/system_health_check/enqueue`, { method: 'POST', headers: { authorization: `Bearer ${t.env.ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    const row = await eventually(async () => (await t.db.query("SELECT state, worker FROM task_runs WHERE id = $1 AND state = 'succeeded'", [runId])).rows[0], 10000, 'the run to succeed');
    expect(row.worker).toBe(`${hostname()}:${server.child.pid}`);
    expect(readFileSync(`${t.env.LOG_DIR}/api.log`, 'utf8')).toContain('"api listening"');
    expect(readFileSync(`${t.env.LOG_DIR}/maintenance.log`, 'utf8')).toContain(runId);
  });
});
