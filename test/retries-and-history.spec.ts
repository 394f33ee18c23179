import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { IsInt, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { UsageError } from '../src/core/errors.js';
import { QueueRegistry } from '../src/core/queues/queue-registry.js';
import { TaskHistoryWriter } from '../src/core/tasks/task-history.writer.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { Task, type TaskContext, type TaskHandler } from '../src/core/tasks/task.decorator.js';
import { bootApp } from './support/app.js';
import { createTestEnv, eventually, type TestEnv } from './support/test-env.js';

class FlakyArguments {
  @IsOptional() @IsInt()
  fail_times = 1;
}

@Injectable()
@Task({ name: 'test_always_fails', queue: 'maintenance', description: 'throws every time', attempts: 3, backoffMs: 10 })
class AlwaysFails implements TaskHandler {
  async run(): Promise<never> {
    throw new Error('supplier answered 500');
  }
}

@Injectable()
@Task({ name: 'test_flaky', queue: 'maintenance', description: 'fails the first N attempts', arguments: FlakyArguments, positional: ['fail_times'], attempts: 3, backoffMs: 10 })
class Flaky implements TaskHandler<FlakyArguments> {
  async run(args: FlakyArguments, context: TaskContext) {
    if (context.attempt <= args.fail_times) throw new Error(`attempt ${context.attempt} failed`);
    return { attempt: context.attempt };
  }
}

@Injectable()
@Task({ name: 'test_permanent', queue: 'maintenance', description: 'fails in a way retries cannot fix', attempts: 3, backoffMs: 10 })
class Permanent implements TaskHandler {
  async run(): Promise<never> {
    throw new UsageError('supplier 42 does not exist');
  }
}

@Module({ providers: [AlwaysFails, Flaky, Permanent] })
class TestTasksModule {}

describe('retries and run history (in-process worker)', () => {
  let t: TestEnv;
  let app: INestApplication;
  let runner: TaskRunner;
  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance' });
    ({ app } = await bootApp(t.env, [TestTasksModule]));
    runner = app.get(TaskRunner);
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  const finalRow = (runId: string) =>
    eventually(async () => {
      const { rows } = await t.db.query('SELECT * FROM task_runs WHERE id = $1', [runId]);
      return ['succeeded', 'failed'].includes(rows[0]?.state) ? rows[0] : undefined;
    }, 15000, `run ${runId} to finish`);

  it('a task that always throws is retried per its options and ends failed with its stack', async () => {
    const { runId } = await runner.enqueue({ task: 'test_always_fails' });
    const row = await finalRow(runId);
    expect(row).toMatchObject({ state: 'failed', attempts: 3, error: 'supplier answered 500', mode: 'queued' });
    expect(row.stack).toMatch(/^Error: supplier answered 500\n\s+at AlwaysFails\.run/);
    expect(row.finished_at).not.toBeNull();
    const job = await app.get(QueueRegistry).get('maintenance').getJob(runId);
    expect(job?.attemptsMade).toBe(3);
    await expect(runner.waitFor(runId, 5000)).rejects.toThrow(`Task "test_always_fails" (run ${runId}) failed: supplier answered 500`);
  });

  it('a flaky task succeeds on a retry; the same row ends succeeded, its old error cleared', async () => {
    const { runId } = await runner.enqueue({ task: 'test_flaky', args: [2] });
    expect(await runner.waitFor(runId, 15000)).toEqual({ attempt: 3 });
    const row = await finalRow(runId);
    expect(row).toMatchObject({ state: 'succeeded', attempts: 3, result: { attempt: 3 }, error: null, stack: null });
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM task_runs WHERE task = $1', ['test_flaky']);
    expect(rows[0].n).toBe(1);
  });

  it('an error retries cannot fix fails at once, whatever the attempts', async () => {
    const { runId } = await runner.enqueue({ task: 'test_permanent' });
    const row = await finalRow(runId);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, error: 'supplier 42 does not exist' });
  });

  it('an argument of the wrong type is rejected before anything is enqueued', async () => {
    await expect(runner.enqueue({ task: 'test_flaky', args: ['two'] })).rejects.toThrow(/fail_times must be an integer number \(got "two"\)/);
    const counts = await app.get(QueueRegistry).get('maintenance').getJobCounts();
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM task_runs WHERE args = '[\"two\"]'");
    expect(rows[0].n).toBe(0);
    expect(counts.waiting + counts.delayed).toBe(0);
  });

  it('enqueueMany validates every request first: one bad request enqueues none', async () => {
    const queue = app.get(QueueRegistry).get('maintenance');
    const before = await queue.count();
    await expect(runner.enqueueMany([{ task: 'test_flaky', args: [0] }, { task: 'test_flaky', kwargs: { fail_times: 'x' } }])).rejects.toThrow(/fail_times must be an integer/);
    expect(await queue.count()).toBe(before);
    const runs = await runner.enqueueMany([0, 0, 0].map((n) => ({ task: 'test_flaky', args: [n] })));
    expect(new Set(runs.map((r) => r.runId)).size).toBe(3);
    for (const { runId } of runs) expect(await runner.waitFor(runId, 10000)).toEqual({ attempt: 1 });
  });

  it('state changes reaching Postgres out of order still leave the newest state', async () => {
    const writer = app.get(TaskHistoryWriter);
    const id = '00000000-0000-4000-8000-000000000001';
    const base = { id, task: 'test_flaky', queue: 'maintenance', mode: 'queued' as const, args: [], kwargs: {}, queuedAt: new Date('2026-01-01T00:00:00Z'), worker: 'w:1' };
    // The worker's changes are flushed before the enqueuer's "queued" (different processes, different batches).
    writer.record({ ...base, state: 'started', attempt: 1, at: new Date('2026-01-01T00:00:01Z') });
    writer.record({ ...base, state: 'succeeded', attempt: 1, at: new Date('2026-01-01T00:00:02Z'), result: { ok: true } });
    await writer.flush();
    writer.record({ ...base, state: 'queued', attempt: 0, at: base.queuedAt, worker: undefined });
    await writer.flush();
    const { rows } = await t.db.query('SELECT state, attempts, result, worker, started_at, finished_at FROM task_runs WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ state: 'succeeded', attempts: 1, result: { ok: true }, worker: 'w:1', started_at: new Date('2026-01-01T00:00:01Z'), finished_at: new Date('2026-01-01T00:00:02Z') });
  });

  it('a row Postgres rejects is dropped with an error; the rest of its batch is written', async () => {
    const writer = app.get(TaskHistoryWriter);
    const base = { task: 'test_flaky', queue: 'maintenance', mode: 'queued' as const, args: [], kwargs: {}, queuedAt: new Date(), attempt: 1, at: new Date() };
    writer.record({ ...base, id: '30000000-0000-4000-8000-000000000001', state: 'succeeded' });
    writer.record({ ...base, id: '30000000-0000-4000-8000-000000000002', state: 'exploded' as never });
    writer.record({ ...base, id: '30000000-0000-4000-8000-000000000003', state: 'failed', error: 'x' });
    await writer.flush();
    expect(writer.pending).toBe(0);
    const { rows } = await t.db.query("SELECT id, state FROM task_runs WHERE id::text LIKE '30000000-%' ORDER BY id");
    expect(rows).toEqual([
      { id: '30000000-0000-4000-8000-000000000001', state: 'succeeded' },
      { id: '30000000-0000-4000-8000-000000000003', state: 'failed' },
    ]);
    // Later history is not held back.
    const { runId } = await runner.enqueue({ task: 'test_flaky', args: [0] });
    expect((await finalRow(runId)).state).toBe('succeeded');
  });

  it('writes history in batches, not a round trip per change', async () => {
    const writer = app.get(TaskHistoryWriter);
    await writer.flush();
    // Count the upserts the writer sends; every call still goes to Postgres.
    const db = app.get(DataSource);
    const query = db.query.bind(db);
    let upserts = 0;
    db.query = ((sql: string, ...rest: unknown[]) => {
      if (sql.includes('INSERT INTO task_runs')) upserts += 1;
      return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof db.query;
    try {
      for (let i = 0; i < 3000; i += 1) {
        const id = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const base = { id, task: 'test_flaky', queue: 'maintenance', mode: 'queued' as const, args: [i], kwargs: {}, queuedAt: new Date(), worker: 'w:1' };
        writer.record({ ...base, state: 'queued', attempt: 0, at: new Date() });
        writer.record({ ...base, state: 'started', attempt: 1, at: new Date() });
        writer.record({ ...base, state: 'succeeded', attempt: 1, at: new Date(), result: i });
      }
      await writer.flush();
    } finally {
      db.query = query;
    }
    const { rows } = await t.db.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'succeeded' AND result = to_jsonb(args->0))::int AS ok FROM task_runs WHERE id::text LIKE '10000000-%'");
    expect(rows[0]).toEqual({ n: 3000, ok: 3000 });
    // 9,000 state changes of 3,000 runs in a handful of upserts: a flush starts at HISTORY_BATCH_SIZE
    // (1,000) rows, and what arrives while it runs goes in the next one.
    expect(upserts).toBeGreaterThanOrEqual(1);
    expect(upserts).toBeLessThanOrEqual(4);
  });
});
