import Bull from 'bull';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCHEDULES } from '../src/core/scheduling/default-schedules.js';
import { runCli, spawnCli, startServer, type ServerProcess } from './support/processes.js';
import { createTestEnv, eventually, type TestEnv } from './support/test-env.js';

describe('status and monitor with real workers', () => {
  let t: TestEnv;
  let suppliersWorker: ServerProcess;
  let maintenanceWorker: ServerProcess;
  let scheduler: ServerProcess;
  beforeAll(async () => {
    t = await createTestEnv();
    [suppliersWorker, maintenanceWorker, scheduler] = await Promise.all([
      startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'suppliers,marketplaces' }),
      startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance' }),
      startServer({ ...t.env, APP_ROLES: 'scheduler' }),
    ]);
    await runCli(['setup-beat'], t.env);
    // The running scheduler must not fire a default schedule (System Health Check every 5 minutes)
    // in the middle of these tests and change the counts they assert.
    await t.db.query("UPDATE periodic_tasks SET cron = '0 0 1 1 *'");
  });
  afterAll(async () => {
    await Promise.all([suppliersWorker, maintenanceWorker, scheduler].map((p) => p?.stop()));
    await t.cleanup();
  });

  it('status --format=json is one document: broker, database, six queues, workers online, scheduler alive, next runs', async () => {
    await runCli(['run-task', 'system_health_check', '--async', '--wait'], t.env);
    const { code, stdout } = await runCli(['status', '--format=json'], t.env);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.broker).toMatchObject({ reachable: true, url: 'redis://127.0.0.1:6379' });
    expect(report.database.reachable).toBe(true);
    expect(report.queues.map((q: { name: string }) => q.name)).toEqual(['suppliers', 'marketplaces', 'workflows', 'ai_processing', 'analytics', 'maintenance']);
    expect(report.queues.find((q: { name: string }) => q.name === 'maintenance')).toMatchObject({ waiting: 0, active: 0, completed: 1, paused: false });
    expect(report.workers.online).toBe(2);
    expect(report.workers.processes.map((w: { pid: number }) => w.pid).sort()).toEqual([suppliersWorker.child.pid, maintenanceWorker.child.pid].sort());
    expect(report.scheduler.alive).toBe(true);
    expect(report.nextRuns).toHaveLength(5);
    const year = new Date().getUTCFullYear() + 1;
    expect(report.nextRuns.every((run: { nextRunAt: string }) => run.nextRunAt === `${year}-01-01T00:00:00.000Z`)).toBe(true);
    expect(DEFAULT_SCHEDULES.map((d) => d.name)).toEqual(expect.arrayContaining(report.nextRuns.map((run: { name: string }) => run.name)));
    expect(report.problems).toEqual([]);
    expect(report.schedules).toBeUndefined();
  });

  it('status --detailed (text) adds per-worker stats, recent failures and the schedules', async () => {
    // A failure to show: a job for a task this version does not know, put on the queue with bare Bull.
    const queue = new Bull('maintenance', { prefix: t.prefix, redis: { host: '127.0.0.1', port: 6379 } });
    const job = await queue.add('retired_task', { args: [], kwargs: {} });
    await queue.close();
    await eventually(async () => (await runCli(['status', '--format=json'], t.env)).stdout.includes('"failed": 1'), 10000, 'the job to fail');
    const { code, stdout } = await runCli(['status', '--detailed'], t.env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^broker {4}ok \([\d.]+ ms\) {2}redis:\/\/127\.0\.0\.1:6379\ndatabase {2}ok/);
    expect(stdout).toMatch(/scheduler alive \(/);
    expect(stdout).toMatch(/workers {3}2 online, 0 offline/);
    expect(stdout).toMatch(/^QUEUE\s+WAITING\s+ACTIVE\s+DELAYED\s+FAILED\s+COMPLETED\s+PAUSED$/m);
    expect(stdout).toMatch(new RegExp(`^\\S+:${maintenanceWorker.child.pid}\\s+online\\s+maintenance\\(1\\)\\s+0\\s+1\\s+1\\s+\\d+s\\s+\\d+ MB\\s+[\\d.]+%\\s+[\\d.]+ ms\\s+0\\.1\\.0$`, 'm'));
    expect(stdout).toMatch(/suppliers\(2\),marketplaces\(3\)/);
    expect(stdout).toMatch(/^SCHEDULE\s+TASK\s+CRON\s+ENABLED\s+LAST RUN\s+NEXT RUN\s+RUNS$/m);
    expect(stdout).toMatch(new RegExp(`^recent failures on maintenance\n {2}\\S+ {2}retired_task {2}${job.id} {2}No task "retired_task" is registered in this worker; it cannot run this job\\.$`, 'm'));
  });

  it('monitor samples every interval, restricted by --workers, and writes every sample as JSON', async () => {
    const file = join(t.dir, 'monitoring.json');
    const monitor = spawnCli(['monitor', '--duration=5', '--interval=1', '--workers=maintenance', `--output-file=${file}`], t.env);
    await eventually(() => monitor.stdout().includes('QUEUE'), 15000, 'the first sample');
    // Enqueued straight through Bull, as Dropflow would (a UUID job id): a second CLI would take
    // seconds to boot on a loaded machine and could miss the monitor's window.
    const queue = new Bull('maintenance', { prefix: t.prefix, redis: { host: '127.0.0.1', port: 6379 } });
    await queue.add('cleanup_system_logs', { args: [], kwargs: {} }, { jobId: randomUUID() });
    await queue.close();
    expect(await monitor.exited).toBe(0);
    expect(monitor.stdout().match(/^QUEUE\s+DONE\/S\s+FAILED\/S\s+DEPTH\s+ACTIVE\s+DELAYED\s+FAILED$/gm)).toHaveLength(5);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.samples).toHaveLength(5);
    for (const sample of written.samples) {
      expect(sample.queues.map((q: { name: string }) => q.name)).toEqual(['maintenance']);
      expect(sample.workers.map((w: { id: string }) => w.id)).toEqual([expect.stringMatching(new RegExp(`:${maintenanceWorker.child.pid}$`))]);
      expect(sample.workers[0].rssMb).toBeGreaterThan(10);
    }
    const done = written.samples.reduce((sum: number, s: { queues: { succeededPerSecond: number }[]; intervalSeconds: number }) => sum + s.queues[0].succeededPerSecond * s.intervalSeconds, 0);
    expect(Math.round(done)).toBe(1);
  });

  it('monitor stopped with Ctrl-C still writes what it sampled', async () => {
    const file = join(t.dir, 'interrupted.json');
    const monitor = spawnCli(['monitor', '--duration=60', '--interval=1', `--output-file=${file}`], t.env);
    await eventually(() => (monitor.stdout().match(/^QUEUE/gm)?.length ?? 0) >= 2, 15000, 'two samples');
    monitor.child.kill('SIGINT');
    expect(await monitor.exited).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).samples.length).toBeGreaterThanOrEqual(2);
  });

  it('bad monitor flags exit 2 with the reason', async () => {
    const bad = await runCli(['monitor', '--workers=suppliers,emails'], t.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--workers takes queue names .*unknown: emails/);
    expect((await runCli(['monitor', '--interval=0'], t.env)).stderr).toMatch(/--interval must be a positive number of seconds \(got "0"\)/);
    expect((await runCli(['status', '--format=xml'], t.env)).code).toBe(2);
  });

  it('a killed worker shows offline after three missed beats; with none online, status exits non-zero and says why', async () => {
    suppliersWorker.child.kill('SIGKILL');
    maintenanceWorker.child.kill('SIGKILL');
    const report = await eventually(async () => {
      const { stdout } = await runCli(['status', '--format=json', '--detailed'], t.env);
      const parsed = JSON.parse(stdout);
      return parsed.workers.offline === 2 ? { parsed, stdout } : undefined;
    }, 15000, 'both workers offline');
    expect(report.parsed.workers.online).toBe(0);
    expect(report.parsed.workers.processes.every((w: { online: boolean; lastSeenSecondsAgo: number }) => !w.online && w.lastSeenSecondsAgo >= 3)).toBe(true);
    expect(report.parsed.problems).toEqual(['no worker is online: queued tasks will wait. Start one with APP_ROLES=worker (or all).']);
    const { code, stderr } = await runCli(['status'], t.env);
    expect(code).toBe(69);
    expect(stderr).toContain('dropflow: no worker is online');
  });

  it('status says the broker is down and exits non-zero, without hanging', async () => {
    const { code, stdout, stderr } = await runCli(['status', '--format=json'], { ...t.env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(69);
    expect(JSON.parse(stdout).broker).toMatchObject({ reachable: false });
    expect(stderr).toMatch(/the broker \(Redis at redis:\/\/127\.0\.0\.1:1\) is unreachable/);
  });
});
