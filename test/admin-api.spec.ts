import type { INestApplication } from '@nestjs/common';
import { QueueRegistry } from '../src/core/queues/queue-registry.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { bootApp } from './support/app.js';
import { createTestEnv, eventually, TEST_TOKEN, type TestEnv } from './support/test-env.js';

describe('admin REST API', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  let runner: TaskRunner;
  const api = async (method: string, path: string, body?: unknown, token = TEST_TOKEN) => {
    const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const rows = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows;

  beforeAll(async () => {
    // A worker for the suppliers queue only: maintenance jobs stay waiting, to be paged, filtered and cancelled.
    t = await createTestEnv({ APP_ROLES: 'api,worker', WORKER_QUEUES: 'suppliers' });
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
    runner = app.get(TaskRunner);
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('refuses every admin endpoint without the token, and says how to authenticate', async () => {
    for (const [method, path] of [['GET', '/api/task-runs'], ['GET', '/api/queues'], ['POST', '/api/queues/maintenance/pause'], ['GET', '/api/workers'], ['GET', '/api/schedules'], ['POST', '/api/schedules'], ['GET', '/api/health/checks']]) {
      const response = await api(method, path, method === 'GET' ? undefined : {}, 'wrong-token-wrong-token');
      expect([path, response.status]).toEqual([path, 401]);
      expect(response.body.message).toContain('Authorization: Bearer');
    }
  });

  it('pages run history by cursor, filters it, and rejects bad filters with the field named', async () => {
    for (let i = 0; i < 5; i++) await runner.enqueue({ task: 'system_health_check' });
    await runner.enqueue({ task: 'cleanup_system_logs', kwargs: { days: 7 } });
    await eventually(async () => (await rows('SELECT count(*)::int AS n FROM task_runs'))[0].n === 6);
    const first = await api('GET', '/api/task-runs?task=system_health_check&limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await api('GET', `/api/task-runs?task=system_health_check&limit=2&before=${first.body.next_cursor}`);
    const third = await api('GET', `/api/task-runs?task=system_health_check&limit=2&before=${second.body.next_cursor}`);
    const ids = [...first.body.items, ...second.body.items, ...third.body.items].map((r: any) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.body.next_cursor).toBeNull();
    expect((await api('GET', '/api/task-runs?q=%22days%22%3A%207')).body.items.map((r: any) => r.task)).toEqual(['cleanup_system_logs']);
    // The text filter reads errors too, case-insensitively, through the trigram index's expression.
    await t.db.query("UPDATE task_runs SET error = 'Supplier 7 answered HTTP 503' WHERE id = (SELECT id FROM task_runs WHERE task = 'system_health_check' LIMIT 1)");
    expect((await api('GET', '/api/task-runs?q=http%20503')).body.items.map((r: any) => r.task)).toEqual(['system_health_check']);
    expect((await api('GET', '/api/task-runs?q=no%20run%20says%20this')).body.items).toEqual([]);
    expect((await api('GET', '/api/task-runs?state=queued&queue=maintenance')).body.items).toHaveLength(6);
    const bad = await api('GET', '/api/task-runs?state=sleeping&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toMatch(/state must be one of.*limit must not be less than 1/);
    expect((await api('GET', '/api/task-runs?before=garbage')).status).toBe(400);
  });

  it('cancels a waiting run: it leaves the queue and its history says cancelled', async () => {
    const { runId } = await runner.enqueue({ task: 'system_health_check' });
    const cancelled = await api('POST', `/api/task-runs/${runId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { runId, cancelled: true } });
    expect(await app.get(QueueRegistry).get('maintenance').getJob(runId)).toBeNull();
    expect((await rows('SELECT state FROM task_runs WHERE id = $1', [runId]))[0].state).toBe('cancelled');
    expect((await api('POST', `/api/task-runs/${runId}/cancel`)).status).toBe(400);
  });

  it('retries a failed run on its own job, and a failed inline run as a new run', async () => {
    const { runId } = await runner.enqueue({ task: 'sync_supplier_products', kwargs: { supplier_id: 999 } });
    await runner.waitFor(runId, 30000).catch(() => undefined);
    await eventually(async () => (await rows('SELECT state FROM task_runs WHERE id = $1', [runId]))[0]?.state === 'failed');
    expect((await api('POST', `/api/task-runs/${runId}/retry`)).body).toEqual({ runId, retried: 'same_job' });
    await eventually(async () => (await app.get(QueueRegistry).get('suppliers').getJob(runId))?.attemptsMade === 2, 15000, 'the retried job to fail again');

    const inline = await runner.runNow({ task: 'test_supplier_connection', kwargs: { supplier_id: 999 } }).catch((error: Error) => error);
    const [{ id: inlineId }] = await rows("SELECT id FROM task_runs WHERE task = 'test_supplier_connection' AND mode = 'inline'");
    expect(inline).toBeInstanceOf(Error);
    const again = await api('POST', `/api/task-runs/${inlineId}/retry`);
    expect(again.body.retried).toBe('new_run');
    expect(again.body.runId).not.toBe(inlineId);
    // The new run is a queued run of the same task with the same arguments.
    const [copy] = await eventually(async () => {
      const found = await rows('SELECT task, mode, kwargs FROM task_runs WHERE id = $1', [again.body.runId]);
      return found.length > 0 && found;
    });
    expect(copy).toEqual({ task: 'test_supplier_connection', mode: 'queued', kwargs: { supplier_id: 999 } });
    expect((await api('POST', '/api/task-runs/00000000-0000-4000-8000-000000000000/retry')).status).toBe(404);
  });

  it('pauses, resumes, retries the failed and cleans a queue', async () => {
    expect((await api('POST', '/api/queues/maintenance/pause')).body).toEqual({ queue: 'maintenance', paused: true });
    expect((await api('GET', '/api/queues')).body.find((q: any) => q.name === 'maintenance').paused).toBe(true);
    expect((await api('POST', '/api/queues/maintenance/resume')).body.paused).toBe(false);
    expect((await api('GET', '/api/queues')).body.find((q: any) => q.name === 'maintenance').paused).toBe(false);
    expect((await api('POST', '/api/queues/nope/pause')).status).toBe(400);

    const failedBefore = (await api('GET', '/api/queues')).body.find((q: any) => q.name === 'suppliers').failed;
    expect(failedBefore).toBeGreaterThan(0);
    expect((await api('POST', '/api/queues/suppliers/retry-failed')).body.retried).toBe(failedBefore);
    await eventually(async () => (await api('GET', '/api/queues')).body.find((q: any) => q.name === 'suppliers').failed === failedBefore);
    expect((await api('POST', '/api/queues/suppliers/clean', { state: 'failed' })).body.removed).toBe(failedBefore);
    expect((await api('GET', '/api/queues')).body.find((q: any) => q.name === 'suppliers').failed).toBe(0);
    expect((await api('POST', '/api/queues/suppliers/clean', { state: 'everything' })).status).toBe(400);
  });

  it('manages schedules: create with checks on cron, task and arguments; edit; enable and disable; run now; delete', async () => {
    const badCron = await api('POST', '/api/schedules', { name: 'Nightly', task: 'cleanup_system_logs', cron: '61 * * * *' });
    expect(badCron.status).toBe(400);
    expect(badCron.body.message).toContain('is not a cron expression');
    const badArgs = await api('POST', '/api/schedules', { name: 'Nightly', task: 'cleanup_system_logs', cron: '0 1 * * *', kwargs: { days: 'seven' } });
    expect(badArgs.status).toBe(400);
    expect(badArgs.body.message).toContain('days must be an integer');
    expect((await api('POST', '/api/schedules', { name: 'Nightly', task: 'no_such_task', cron: '0 1 * * *' })).body.message).toContain('Unknown task');

    const created = await api('POST', '/api/schedules', { name: 'Nightly', task: 'cleanup_system_logs', cron: '0 1 * * *', kwargs: { days: 7 }, timezone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Nightly', enabled: true, timezone: 'Europe/Berlin', nextRunAt: expect.any(String) });
    const id = created.body.id;
    expect((await api('PATCH', `/api/schedules/${id}`, { cron: '30 2 * * *' })).body.cron).toBe('30 2 * * *');
    expect((await api('PATCH', `/api/schedules/${id}`, { cron: 'often' })).status).toBe(400);
    expect((await api('POST', `/api/schedules/${id}/disable`)).body).toMatchObject({ enabled: false, nextRunAt: null });
    expect((await api('POST', `/api/schedules/${id}/enable`)).body.enabled).toBe(true);
    const run = await api('POST', `/api/schedules/${id}/run`);
    expect(run.status).toBe(202);
    expect((await app.get(QueueRegistry).get('maintenance').getJob(run.body.runId))?.data.kwargs).toEqual({ days: 7 });
    expect((await api('DELETE', `/api/schedules/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/schedules/${id}`)).status).toBe(404);
  });

  it('every documented /api route and /metrics refuse a request without the token (/health stays open; the dashboard\'s login is in its own test)', async () => {
    const docs = (await api('GET', '/api/docs-json')).body;
    const routes = Object.entries(docs.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/') || path === '/metrics')
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => [method.toUpperCase(), path]));
    expect(routes.length).toBeGreaterThan(60);
    for (const [method, path] of routes) {
      const concrete = path.replace('{name}', 'maintenance').replace(/\{id\}/g, '1').replace(/\{\w+\}/g, '1');
      const response = await fetch(`${url}${concrete}`, { method, headers: { 'content-type': 'application/json' }, body: ['GET', 'DELETE'].includes(method) ? undefined : '{}' });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 401`);
    }
  });

  it('documents itself with OpenAPI at /api/docs, behind the token', async () => {
    expect((await fetch(`${url}/api/docs-json`)).status).toBe(401);
    const docs = await api('GET', '/api/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/task-runs', '/api/queues/{name}/pause', '/api/schedules/{id}', '/api/suppliers', '/api/analytics/metrics', '/metrics']));
  });

  it('lists live workers and the health check history', async () => {
    const workers = await eventually(async () => {
      const list = (await api('GET', '/api/workers')).body;
      return list.length > 0 && list;
    });
    expect(workers[0]).toMatchObject({ queues: ['suppliers'], online: true });
    await runner.runNow({ task: 'system_health_check' });
    const history = (await api('GET', '/api/health/checks?limit=5')).body;
    expect(history).toHaveLength(1);
    expect(history[0].checks.database.status).toBeDefined();
  });
});
