import type { INestApplication } from '@nestjs/common';
import { QueueRegistry } from '../src/core/queues/queue-registry.js';
import { bootApp } from './support/app.js';
import { createTestEnv, freePort, TEST_TOKEN, type TestEnv } from './support/test-env.js';

/** fetch's json() is unknown; these tests assert on its shape. */
const json = async (response: Response): Promise<any> => response.json();

const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

describe('HTTP: health endpoints and the tasks API', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'api' });
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('/health/live and /health/ready answer 200 with each part up, without a token', async () => {
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect((await json(live)).status).toBe('ok');
    const ready = await fetch(`${url}/health/ready`);
    const body = await json(ready);
    expect(ready.status).toBe(200);
    expect(body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('/health/ready is 503 and names migrations when one is pending', async () => {
    await t.db.query("DELETE FROM migrations WHERE name = 'CoreTables1764000000000'");
    try {
      const ready = await fetch(`${url}/health/ready`);
      const body = await json(ready);
      expect(ready.status).toBe(503);
      expect(body.error.migrations).toMatchObject({ status: 'down', message: expect.stringContaining('migrations are pending') });
      expect(body.info.database.status).toBe('up');
    } finally {
      await t.db.query("INSERT INTO migrations (timestamp, name) VALUES (1764000000000, 'CoreTables1764000000000')");
    }
  });

  it('the admin API answers 401 without the right token, and shows no data', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token-123' }, { authorization: TEST_TOKEN }] as Record<string, string>[]) {
      const response = await fetch(`${url}/api/tasks`, { headers });
      expect(response.status).toBe(401);
      expect(JSON.stringify(await json(response))).not.toContain('system_health_check');
    }
  });

  it('lists tasks and enqueues one, 202 with a run id that reads back from history', async () => {
    const list = await json(await fetch(`${url}/api/tasks`, { headers: auth }));
    expect(list.map((task: { name: string }) => task.name)).toEqual(expect.arrayContaining(['system_health_check', 'backup_database']));
    const response = await fetch(`${url}/api/tasks/cleanup_system_logs/enqueue`, { method: 'POST', headers: auth, body: JSON.stringify({ kwargs: { days: 3 } }) });
    expect(response.status).toBe(202);
    const { runId, queue } = await json(response);
    expect(queue).toBe('maintenance');
    expect(await app.get(QueueRegistry).get('maintenance').getJob(runId)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const run = await json(await fetch(`${url}/api/task-runs/${runId}`, { headers: auth }));
    expect(run).toMatchObject({ id: runId, task: 'cleanup_system_logs', state: 'queued', kwargs: { days: 3 } });
  });

  it('runs a task in the API process with /run and answers its result', async () => {
    const response = await fetch(`${url}/api/tasks/system_health_check/run`, { method: 'POST', headers: auth, body: '{}' });
    expect(response.status).toBe(200);
    const { runId, result } = await json(response);
    expect(result.checks.database.status).toBe('ok');
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['an unknown task', 'no_such_task', { args: [] }, /Unknown task "no_such_task"/],
    ['args that are not an array', 'cleanup_system_logs', { args: 'x' }, /args must be an array/],
    ['an unknown body field', 'cleanup_system_logs', { argz: [] }, /property argz should not exist/],
    ['an argument of the wrong type', 'cleanup_system_logs', { kwargs: { days: 'ten' } }, /days must be an integer number \(got "ten"\)/],
    ['too many positional arguments', 'system_health_check', { args: [1] }, /takes no positional arguments, got 1/],
    ['an unexpected keyword', 'cleanup_system_logs', { kwargs: { weeks: 1 } }, /unexpected keyword argument "weeks"/],
  ])('400 for %s, before anything is enqueued', async (_what, name, body, message) => {
    const queue = app.get(QueueRegistry).get('maintenance');
    const before = await queue.count();
    const response = await fetch(`${url}/api/tasks/${name}/enqueue`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    const answer = await json(response);
    expect([answer.message].flat().join('\n')).toMatch(message);
    expect(await queue.count()).toBe(before);
  });

  it('400 for malformed JSON, 404 for an unknown run', async () => {
    const bad = await fetch(`${url}/api/tasks/system_health_check/enqueue`, { method: 'POST', headers: auth, body: '{"args": [1,' });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${url}/api/task-runs/00000000-0000-4000-8000-00000000abcd`, { headers: auth });
    expect(missing.status).toBe(404);
  });
});

describe('HTTP: readiness when Redis is unreachable', () => {
  let t: TestEnv;
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    t = await createTestEnv({ APP_ROLES: 'api', REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}` });
    ({ app, url } = await bootApp(t.env, [], { listen: true }));
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('/health/ready is 503 and names redis; live stays 200; the password is not shown', async () => {
    const ready = await fetch(`${url}/health/ready`);
    const text = await ready.text();
    expect(ready.status).toBe(503);
    const body = JSON.parse(text);
    expect(body.error.redis.status).toBe('down');
    expect(body.info.database.status).toBe('up');
    expect(text).not.toContain('hunter2');
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it('enqueueing through the API answers 503 with what to do, not a hang', async () => {
    const response = await fetch(`${url}/api/tasks/system_health_check/enqueue`, { method: 'POST', headers: auth, body: '{}' });
    const body = await json(response);
    expect(response.status).toBe(503);
    expect(body.message).toMatch(/^Redis is unreachable at redis:\/\/:%5Bredacted%5D@127\.0\.0\.1:\d+ \(.*\); nothing was enqueued\. Start Redis or fix REDIS_URL\.$/);
  }, 30000);
});
