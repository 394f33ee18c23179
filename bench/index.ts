/**
 * npm run bench: figures, not a timed test. Runs Dropflow's task layer (validation, dispatch,
 * batched run history) and bare Bull on the same no-op workload in the same run, against the
 * local PostgreSQL and Redis, and writes the figures under bench/results/.
 */
import 'reflect-metadata';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Bull from 'bull';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/app-config.js';
import { LogService } from '../src/core/logging/log.service.js';
import { StatusService } from '../src/core/monitoring/status.service.js';
import { QueueRegistry } from '../src/core/queues/queue-registry.js';
import { BeatService } from '../src/core/scheduling/beat.service.js';
import { TaskHistoryWriter } from '../src/core/tasks/task-history.writer.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { Task, type TaskHandler } from '../src/core/tasks/task.decorator.js';
import { runMigrations } from '../src/database/migrate.js';
import { WorkflowsService } from '../src/orchestration/workflows.service.js';
import { catalogFigures } from './catalog.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 20000);
const CONCURRENCIES = [1, 10, 50];
const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);

@Injectable()
@Task({ name: 'bench_noop', queue: 'maintenance', description: 'does nothing (benchmark)' })
class NoopTask implements TaskHandler {
  async run() {
    return null;
  }
}

@Module({ providers: [NoopTask] })
class BenchTasksModule {}

interface Figures {
  [name: string]: number | string;
}

const results: Figures = {};
const rows: [string, string][] = [];
function report(name: string, value: number, unit: string) {
  results[name] = Math.round(value * 10) / 10;
  rows.push([name, `${(Math.round(value * 10) / 10).toLocaleString('en-US')} ${unit}`]);
  process.stdout.write(`  ${name.padEnd(58)} ${(Math.round(value * 10) / 10).toLocaleString('en-US')} ${unit}\n`);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function boot(env: Record<string, string>, cli: boolean): Promise<INestApplicationContext> {
  const config = loadConfig(env, cli);
  const log = new LogService({ level: 'error', dir: config.logging.dir, console: 'stderr', consoleLevel: 'error' });
  const app = await NestFactory.createApplicationContext({ module: class BenchRoot {}, imports: [AppModule.forRoot(config, log, { cli }), BenchTasksModule] }, { logger: false });
  await app.init();
  return app;
}

async function bareBull(prefix: string, concurrency: number): Promise<number> {
  const queue = new Bull(`bare_${concurrency}`, { prefix, redis: { host: '127.0.0.1', port: 6379 }, defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 1000 } });
  for (let i = 0; i < JOBS; i += 1000) await queue.addBulk(Array.from({ length: Math.min(1000, JOBS - i) }, () => ({ name: 'noop', data: { args: [], kwargs: {} } })));
  let done = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    queue.on('completed', () => {
      done += 1;
      if (done === JOBS) resolve();
    });
    void queue.process('*', concurrency, async () => null);
  });
  const seconds = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  return JOBS / seconds;
}

/** One drain of JOBS no-op tasks by a worker at `concurrency`, history included; jobs/s. */
async function dropflowThroughput(env: Record<string, string>, db: pg.Client, client: INestApplicationContext, queue: Bull.Queue, concurrency: number): Promise<number> {
  const runner = client.get(TaskRunner);
  for (let i = 0; i < JOBS; i += 1000) await runner.enqueueMany(Array.from({ length: Math.min(1000, JOBS - i) }, () => ({ task: 'bench_noop' })));
  // The queued rows first, so the drain measures the worker alone.
  await client.get(TaskHistoryWriter).flush();
  const worker = await boot({ ...env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance', QUEUE_MAINTENANCE_CONCURRENCY: String(concurrency) }, false);
  const started = performance.now();
  let busyRss = 0;
  for (;;) {
    const counts = await queue.getJobCounts();
    busyRss = Math.max(busyRss, process.memoryUsage.rss());
    if (counts.waiting === 0 && counts.active === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await worker.get(TaskHistoryWriter).flush();
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await db.query("SELECT count(*) FILTER (WHERE state = 'succeeded')::int AS ok FROM task_runs");
  if (rows[0].ok !== JOBS) throw new Error(`history holds ${rows[0].ok} succeeded runs, expected ${JOBS}`);
  if (concurrency === 10) results.busyRssMb = Math.max(Number(results.busyRssMb ?? 0), Math.round(busyRss / 1024 / 1024));
  await worker.close();
  await db.query('TRUNCATE task_runs');
  return JOBS / seconds;
}

/** Tick-to-enqueue delay over 100 ticks (10 per-second schedules for 10 s), and the cost of status with 10,000 jobs waiting. */
async function schedulerFigures(env: Record<string, string>, db: pg.Client, client: INestApplicationContext) {
  const runner = client.get(TaskRunner);
  const queue = client.get(QueueRegistry).get('maintenance');
  for (let i = 0; i < 10; i += 1) await db.query("INSERT INTO periodic_tasks (name, task, cron, timezone) VALUES ($1, 'bench_noop', '* * * * * *', 'UTC')", [`bench ${i}`]);
  const scheduler = await boot({ ...env, APP_ROLES: 'scheduler', SCHEDULER_SYNC_MS: '1000' }, false);
  const beat = scheduler.get(BeatService);
  const deadline = Date.now() + 30_000;
  while (beat.delaysMs.length < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const delays = beat.delaysMs.slice(0, 100);
  await scheduler.close();
  await db.query('DELETE FROM periodic_tasks');
  report(`scheduler tick-to-enqueue delay p50 (${delays.length} ticks)`, percentile(delays, 50), 'ms');
  report(`scheduler tick-to-enqueue delay p99 (${delays.length} ticks, goal < 50)`, percentile(delays, 99), 'ms');

  await queue.empty();
  for (let i = 0; i < 10; i += 1) await runner.enqueueMany(Array.from({ length: 1000 }, () => ({ task: 'bench_noop' })));
  const waiting = (await queue.getJobCounts()).waiting;
  const status = client.get(StatusService);
  const timings: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await status.collect(true);
    timings.push(performance.now() - started);
  }
  report(`status --detailed with ${waiting.toLocaleString('en-US')} jobs waiting (median of 5, in process)`, percentile(timings, 50), 'ms');
  const started = performance.now();
  // It exits non-zero here (no worker is online); only its duration matters.
  spawnSync(process.execPath, ['bin/dropflow', 'status', '--format=json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  report('dropflow status --format=json, whole command (process start included)', performance.now() - started, 'ms');
  await queue.empty();
}

/** Overhead per workflow step: 100 no-op steps in a chain, and 100 in parallel, beyond the no-op itself. */
async function workflowFigures(env: Record<string, string>, client: INestApplicationContext) {
  const workflows = client.get(WorkflowsService);
  const worker = await boot({ ...env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance,workflows', QUEUE_MAINTENANCE_CONCURRENCY: '10' }, false);
  const shapes = {
    chain: Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, task: 'bench_noop', ...(i > 0 ? { depends_on: [`s${i - 1}`] } : {}) })),
    parallel: Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, task: 'bench_noop' })),
  };
  for (const [shape, steps] of Object.entries(shapes)) {
    const workflow = await workflows.save({ name: `bench ${shape}`, steps });
    const started = performance.now();
    const execution = await workflows.start(workflow.id);
    for (;;) {
      const current = await workflows.execution(execution.id);
      if (current.state !== 'running') {
        if (current.state !== 'succeeded') throw new Error(`bench workflow ${shape} ended ${current.state}: ${current.error}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    report(`workflow of 100 no-op steps, ${shape}: time per step`, (performance.now() - started) / 100, 'ms');
  }
  await worker.close();
}

/** The task platform: enqueue, throughput against bare Bull, latency, scheduler, status, workflows. */
async function platformFigures(env: Record<string, string>, db: pg.Client, prefix: string) {
  const client = await boot(env, true);
  const runner = client.get(TaskRunner);
  const history = client.get(TaskHistoryWriter);
  const queue = client.get(QueueRegistry).get('maintenance');

  let t = performance.now();
  const single = Math.min(JOBS, 5000);
  for (let i = 0; i < single; i += 1) await runner.enqueue({ task: 'bench_noop' });
  report('enqueue one by one (validated, history row)', single / ((performance.now() - t) / 1000), 'jobs/s');
  t = performance.now();
  for (let i = 0; i < JOBS; i += 1000) await runner.enqueueMany(Array.from({ length: Math.min(1000, JOBS - i) }, () => ({ task: 'bench_noop' })));
  report('enqueue in bulk (enqueueMany, 1,000 a call)', JOBS / ((performance.now() - t) / 1000), 'jobs/s');
  await history.flush();
  await queue.empty();
  await db.query('TRUNCATE task_runs');

  const rssIdle = process.memoryUsage.rss();
  // This machine's speed drifts by a third between minutes, bare Bull's more than Dropflow's: each
  // concurrency runs both workloads back to back, TRIALS times, and keeps each one's best.
  for (const concurrency of CONCURRENCIES) {
    let best = 0;
    let bestBare = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      best = Math.max(best, await dropflowThroughput(env, db, client, queue, concurrency));
      bestBare = Math.max(bestBare, await bareBull(prefix, concurrency));
    }
    report(`Dropflow no-op throughput, concurrency ${concurrency} (history included, best of ${TRIALS})`, best, 'jobs/s');
    report(`bare Bull no-op throughput, concurrency ${concurrency} (best of ${TRIALS})`, bestBare, 'jobs/s');
    if (concurrency === 10) results.ratio10 = best / bestBare;
  }
  // As a percentage: one decimal of a ratio would print 0.475 as 0.5.
  report('Dropflow / bare Bull at concurrency 10 (goal >= 50 %)', Number(results.ratio10) * 100, '%');

  // Latency from enqueue to start at low load, from the history rows the worker wrote.
  const worker = await boot({ ...env, APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance', QUEUE_MAINTENANCE_CONCURRENCY: '10' }, false);
  for (let i = 0; i < 200; i += 1) {
    await runner.enqueue({ task: 'bench_noop' });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await worker.get(TaskHistoryWriter).flush();
  const { rows } = await db.query("SELECT extract(epoch FROM started_at - queued_at) * 1000 AS ms FROM task_runs WHERE state = 'succeeded'");
  const latencies = rows.map((r: { ms: string }) => Number(r.ms));
  report('enqueue-to-start latency p50 (low load)', percentile(latencies, 50), 'ms');
  report('enqueue-to-start latency p99 (low load)', percentile(latencies, 99), 'ms');
  await worker.close();
  report('process RSS idle (API context, before workers)', rssIdle / 1024 / 1024, 'MB');
  report('process RSS busy (concurrency 10, bench harness included)', Number(results.busyRssMb), 'MB');
  await schedulerFigures(env, db, client);
  await workflowFigures(env, client);
  await client.close();

}

async function main() {
  const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const database = `dropflow_bench_${id}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const prefix = `dfbench_${id}`;
  const dir = join(tmpdir(), `dropflow-bench-${id}`);
  const env = { DATABASE_URL: databaseUrl, BULL_PREFIX: prefix, LOG_DIR: join(dir, 'logs'), LOG_LEVEL: 'error', DROPFLOW_ENV_FILE: 'none', JOB_KEEP_COMPLETED: '1000' };
  await runMigrations(databaseUrl);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  process.stdout.write(`Dropflow bench: ${JOBS.toLocaleString('en-US')} no-op jobs per run, node ${process.version}\n\n`);

  try {
    // BENCH_ONLY=platform or =catalog runs just one half.
    if (process.env.BENCH_ONLY !== 'catalog') await platformFigures(env, db, prefix);
    if (process.env.BENCH_ONLY !== 'platform') await catalogFigures(env, db, dir, boot, report);
  } finally {
    await db.end();
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }

  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, jobs: JOBS, results }, null, 2));
  process.stdout.write(`\nwritten to ${file}\n`);
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
