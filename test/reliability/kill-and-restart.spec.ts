import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Task, type TaskHandler } from '../../src/core/tasks/task.decorator.js';
import { TaskRunner } from '../../src/core/tasks/task-runner.js';
import { bootApp } from '../support/app.js';
import { startServer, type ServerProcess } from '../support/processes.js';
import { createTestEnv, eventually, freePort, type TestEnv } from '../support/test-env.js';

/** The enqueuing side's declaration of the reliability worker's task: for validation here, never run here. */
@Injectable()
@Task({ name: 'rel_effect', queue: 'maintenance', description: 'one counted side effect (reliability tests)', attempts: 10, backoffMs: 100 })
class RelEffectDeclaration implements TaskHandler {
  async run(): Promise<never> {
    throw new Error('rel_effect runs in test/reliability/reliability-worker.js');
  }
}

@Module({ providers: [RelEffectDeclaration] })
class RelTasks {}

const WORKER = resolve(process.cwd(), 'test', 'reliability', 'reliability-worker.js');
const JOBS = Number(process.env.REL_JOBS ?? 2000);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Short locks so a killed worker's jobs come back within seconds. */
const FAST_RECOVERY = { REL_WORK_MS: '50', JOB_LOCK_MS: '2000', STALLED_CHECK_MS: '1000', QUEUE_MAINTENANCE_CONCURRENCY: '10', WORKER_QUEUES: 'maintenance', APP_ROLES: 'worker' };

describe('reliability: workers killed, Redis restarted, workers stopped mid-task', () => {
  let t: TestEnv;
  let app: INestApplication;
  let runner: TaskRunner;
  const count = async (table: string) => Number((await t.db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  beforeAll(async () => {
    t = await createTestEnv();
    await t.db.query('CREATE TABLE rel_effects (run_id uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    await t.db.query('CREATE TABLE rel_executions (run_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    ({ app } = await bootApp(t.env, [RelTasks], { cli: true }));
    runner = app.get(TaskRunner);
  }, 60000);
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  beforeEach(async () => {
    await t.db.query('TRUNCATE rel_effects, rel_executions');
  });

  it(`${JOBS} jobs, kill -9 of the worker at random moments five times: every job completes, each effect once`, async () => {
    for (let i = 0; i < JOBS; i += 500) await runner.enqueueMany(Array.from({ length: Math.min(500, JOBS - i) }, () => ({ task: 'rel_effect' })));
    let kills = 0;
    let worker: ServerProcess = await startServer({ ...t.env, ...FAST_RECOVERY }, undefined, 30000, WORKER);
    while (kills < 5) {
      await sleep(500 + Math.random() * 1500);
      if ((await count('rel_effects')) >= JOBS) break;
      worker.child.kill('SIGKILL');
      await worker.stop();
      kills++;
      worker = await startServer({ ...t.env, ...FAST_RECOVERY }, undefined, 30000, WORKER);
    }
    await eventually(async () => (await count('rel_effects')) === JOBS, 120000, `all ${JOBS} effects`);
    await worker.stop();
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(await count('rel_effects')).toBe(JOBS);
    // Some executions were cut short and run again; their effect still counts once.
    expect(await count('rel_executions')).toBeGreaterThanOrEqual(JOBS);
  }, 300000);

  it('a job whose worker keeps dying fails after JOB_MAX_STALLED_COUNT recoveries, and its run says why', async () => {
    const { runId } = await runner.enqueue({ task: 'rel_effect' });
    const env = { ...t.env, ...FAST_RECOVERY, REL_WORK_MS: '10000', JOB_MAX_STALLED_COUNT: '0' };
    const first = await startServer(env, undefined, 30000, WORKER);
    await eventually(async () => (await count('rel_executions')) === 1, 30000, 'the job to start');
    first.child.kill('SIGKILL');
    await first.stop();
    const second = await startServer(env, undefined, 30000, WORKER);
    try {
      const run = await eventually(async () => {
        const [row] = (await t.db.query('SELECT state, error FROM task_runs WHERE id = $1', [runId])).rows;
        return row?.state === 'failed' && row;
      }, 30000, 'the run to be failed');
      expect(run.error).toMatch(/worker stopped mid-run more than 0 time\(s\) \(JOB_MAX_STALLED_COUNT\)/);
      expect(await count('rel_effects')).toBe(0);
      expect(await count('rel_executions')).toBe(1);
    } finally {
      await second.stop();
    }
  }, 120000);

  it('a private Redis with persistence restarted mid-run: worker and scheduler stay up, report not ready, recover; every job completes', async () => {
    const port = 6391;
    const dir = t.dir;
    const startRedis = (): ChildProcess => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--save', ''], { stdio: 'ignore' });
    let redis = startRedis();
    const ping = async () => {
      const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    };
    await eventually(ping, 10000, 'the private Redis');
    const env = { ...t.env, REDIS_URL: `redis://127.0.0.1:${port}` };
    const client = await bootApp(env, [RelTasks], { cli: true });
    const jobs = 300;
    try {
    await client.app.get(TaskRunner).enqueueMany(Array.from({ length: jobs }, () => ({ task: 'rel_effect' })));
    const worker = await startServer({ ...env, ...FAST_RECOVERY, REL_WORK_MS: '20', HEALTH_PORT: String(await freePort()) }, undefined, 30000, WORKER);
    const scheduler = await startServer({ ...env, APP_ROLES: 'scheduler', HEALTH_PORT: String(await freePort()) }, undefined, 30000, WORKER);
    const ready = async (server: ServerProcess) => {
      const response = await fetch(`${server.url}/health/ready`);
      return { status: response.status, body: (await response.json()) as { error?: Record<string, { status: string }>; info?: Record<string, { status: string }> } };
    };
    await eventually(async () => (await count('rel_effects')) >= 50, 30000, 'work to start');
    redis.kill('SIGTERM');
    await new Promise((done) => redis.once('exit', done));
    // While Redis is away both processes stay up and say they are not ready, naming Redis.
    for (const server of [worker, scheduler]) {
      const outage = await eventually(async () => {
        const answer = await ready(server);
        return answer.status === 503 && answer;
      }, 15000, 'not ready during the outage');
      expect(outage.body.error?.redis.status).toBe('down');
      expect(outage.body.info?.database.status).toBe('up');
    }
    redis = startRedis();
    await eventually(async () => (await count('rel_effects')) === jobs, 120000, `all ${jobs} effects after the restart`);
    for (const server of [worker, scheduler]) await eventually(async () => (await ready(server)).status === 200, 30000, 'ready again');
    expect(worker.child.exitCode).toBeNull();
    expect(scheduler.child.exitCode).toBeNull();
    await Promise.all([worker.stop(), scheduler.stop()]);
    } finally {
      await client.app.close();
      redis.kill('SIGTERM');
    }
  }, 300000);

  it('SIGTERM during long tasks: they finish within the grace period, or another worker recovers them', async () => {
    const env = { ...t.env, ...FAST_RECOVERY, REL_WORK_MS: '3000', QUEUE_MAINTENANCE_CONCURRENCY: '4' };
    await runner.enqueueMany(Array.from({ length: 8 }, () => ({ task: 'rel_effect' })));
    const first = await startServer({ ...env, WORKER_SHUTDOWN_GRACE_MS: '1000' }, undefined, 30000, WORKER);
    await eventually(async () => (await count('rel_executions')) >= 4, 20000, 'four long tasks to start');
    const stopped = Date.now();
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(10000);
    const second = await startServer(env, undefined, 30000, WORKER);
    await eventually(async () => (await count('rel_effects')) === 8, 60000, 'all eight effects');
    await second.stop();
    expect(await count('rel_effects')).toBe(8);
  }, 120000);
});
