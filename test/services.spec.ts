import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestEnv, eventually, freePort, TEST_TOKEN, type TestEnv } from './support/test-env.js';

const run = promisify(execFile);
const SERVICES = resolve(process.cwd(), 'bin', 'dropflow-services');

interface Pm2Process { name: string; pid: number; pm2_env: { status: string; restart_time: number } }

/** bin/dropflow-services, the old start_celery.sh: start, status, stop, restart every role under PM2. */
describe('dropflow-services (PM2)', () => {
  let t: TestEnv;
  let env: NodeJS.ProcessEnv;
  const services = async (verb: string) => {
    try {
      const { stdout, stderr } = await run(SERVICES, [verb], { env, timeout: 60000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const processes = async (): Promise<Pm2Process[]> => JSON.parse((await run('node', ['node_modules/pm2/bin/pm2', 'jlist'], { env })).stdout);

  beforeAll(async () => {
    t = await createTestEnv();
    const port = await freePort();
    env = { ...process.env, ...t.env, PM2_HOME: mkdtempSync(join(tmpdir(), 'dropflow-pm2-')), PORT: String(port), HOST: '127.0.0.1', HEARTBEAT_INTERVAL_MS: '1000' };
  });
  afterAll(async () => {
    await services('stop');
    await t.cleanup();
  });

  it('start runs the api, the scheduler and one worker per queue; status says so', async () => {
    const started = await services('start');
    expect(started.code).toBe(0);
    const names = (await processes()).map((p) => p.name).sort();
    expect(names).toEqual(['dropflow-api', 'dropflow-scheduler', ...['ai_processing', 'analytics', 'maintenance', 'marketplaces', 'suppliers', 'workflows'].map((q) => `dropflow-worker-${q}`)]);
    // Six worker heartbeats, one queue each, at the queue's default concurrency.
    const workers = await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${env.PORT}/api/workers`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } }).catch(() => null);
      const list = response?.ok ? ((await response.json()) as { queues: string[]; concurrency: Record<string, number>; online: boolean }[]) : [];
      return list.filter((w) => w.online && w.queues.length === 1).length === 6 && list;
    }, 40000, 'six workers to beat');
    expect(workers.find((w) => w.queues[0] === 'marketplaces')!.concurrency).toEqual({ marketplaces: 3 });
    const status = await services('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('dropflow-worker-suppliers');
  });

  it('restarts a worker that is killed', async () => {
    const before = (await processes()).find((p) => p.name === 'dropflow-worker-maintenance')!;
    process.kill(before.pid, 'SIGKILL');
    const after = await eventually(async () => {
      const now = (await processes()).find((p) => p.name === 'dropflow-worker-maintenance')!;
      return now.pid !== before.pid && now.pm2_env.status === 'online' && now;
    }, 30000, 'the worker to come back');
    expect(after.pm2_env.restart_time).toBeGreaterThanOrEqual(1);
  });

  it('restart replaces every process; stop ends them all gracefully and status then fails', async () => {
    const pids = (await processes()).map((p) => p.pid);
    expect((await services('restart')).code).toBe(0);
    const renewed = await processes();
    expect(renewed.every((p) => !pids.includes(p.pid))).toBe(true);
    expect((await services('stop')).stdout).toContain('stopped');
    const status = await services('status');
    expect(status.code).not.toBe(0);
    for (const pid of renewed.map((p) => p.pid)) expect(() => process.kill(pid, 0)).toThrow();
    expect((await services('bounce')).code).toBe(2);
  });
});
