import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { IsInt, IsOptional } from 'class-validator';
import { QueueRegistry } from '../src/core/queues/queue-registry.js';
import { TaskRunner } from '../src/core/tasks/task-runner.js';
import { Task, type TaskContext, type TaskHandler } from '../src/core/tasks/task.decorator.js';
import { bootApp } from './support/app.js';
import { startServer } from './support/processes.js';
import { createTestEnv, eventually, type TestEnv } from './support/test-env.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const starts: { task: string; n?: number; at: number }[] = [];

class NArguments {
  @IsOptional() @IsInt() n?: number;
}

@Injectable()
@Task({ name: 'limits_cooperative', queue: 'maintenance', description: 'stops when its signal aborts (tests)', softTimeLimitMs: 200, timeLimitMs: 5000, attempts: 1 })
class CooperativeTask implements TaskHandler {
  async run(_args: object, { signal }: TaskContext) {
    const started = Date.now();
    while (!signal.aborted) await sleep(20);
    return { stopped_after_ms: Date.now() - started, reason: (signal.reason as Error).message };
  }
}

@Injectable()
@Task({ name: 'limits_stubborn', queue: 'maintenance', description: 'ignores its signal (tests)', timeLimitMs: 300, attempts: 1 })
class StubbornTask implements TaskHandler {
  async run() {
    await sleep(2000);
    return 'too late';
  }
}

@Injectable()
@Task({ name: 'limits_rated', queue: 'analytics', description: 'records when it starts (tests)', arguments: NArguments })
class RatedTask implements TaskHandler<NArguments> {
  async run({ n }: NArguments) {
    starts.push({ task: 'rated', n, at: Date.now() });
    return n;
  }
}

@Injectable()
@Task({ name: 'limits_routine', queue: 'workflows', description: 'an ordinary task (tests)', arguments: NArguments })
class RoutineTask implements TaskHandler<NArguments> {
  async run({ n }: NArguments) {
    starts.push({ task: 'routine', n, at: Date.now() });
    await sleep(20);
  }
}

@Injectable()
@Task({ name: 'limits_critical', queue: 'workflows', description: 'a critical task (tests)', priority: 1 })
class CriticalTask implements TaskHandler {
  async run() {
    starts.push({ task: 'critical', at: Date.now() });
  }
}

@Injectable()
@Task({ name: 'limits_task_rated', queue: 'maintenance', description: 'its own start rate (tests)', arguments: NArguments, rateLimit: { max: 2, durationMs: 1000 } })
class TaskRatedTask implements TaskHandler<NArguments> {
  async run({ n }: NArguments) {
    starts.push({ task: 'task_rated', n, at: Date.now() });
  }
}

@Module({ providers: [CooperativeTask, StubbornTask, RatedTask, RoutineTask, CriticalTask, TaskRatedTask] })
class LimitTestTasks {}

describe('worker limits: time limits, queue rate limits, priorities, recycling', () => {
  let t: TestEnv;
  let app: INestApplication;
  let runner: TaskRunner;
  beforeAll(async () => {
    t = await createTestEnv({ APP_ROLES: 'worker', WORKER_QUEUES: 'maintenance,analytics,workflows', QUEUE_ANALYTICS_CONCURRENCY: '5', QUEUE_WORKFLOWS_CONCURRENCY: '1', QUEUE_ANALYTICS_RATE_LIMIT: '2/1000' });
    ({ app } = await bootApp(t.env, [LimitTestTasks]));
    runner = app.get(TaskRunner);
  });
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('the soft limit aborts the signal the task sees, and a cooperative task ends well', async () => {
    const { runId } = await runner.enqueue({ task: 'limits_cooperative' });
    const result = (await runner.waitFor(runId, 10000)) as { stopped_after_ms: number; reason: string };
    expect(result.reason).toContain('soft time limit of 200 ms');
    expect(result.stopped_after_ms).toBeGreaterThanOrEqual(190);
    expect(result.stopped_after_ms).toBeLessThan(1000);
  });

  it('the hard limit fails the run as timed out', async () => {
    const started = Date.now();
    const { runId } = await runner.enqueue({ task: 'limits_stubborn' });
    await expect(runner.waitFor(runId, 10000)).rejects.toThrow(/timed out after 300 ms \(hard time limit\)/);
    expect(Date.now() - started).toBeLessThan(1500);
    await eventually(async () => (await t.db.query('SELECT state, error FROM task_runs WHERE id = $1', [runId])).rows[0]?.state === 'failed');
  });

  it('a queue rate limit spaces starts across the window, whatever the concurrency', async () => {
    const queued = await runner.enqueueMany([1, 2, 3, 4, 5, 6].map((n) => ({ task: 'limits_rated', kwargs: { n } })));
    await Promise.all(queued.map((q) => runner.waitFor(q.runId, 15000)));
    const times = starts.filter((s) => s.task === 'rated').map((s) => s.at).sort((a, b) => a - b);
    expect(times).toHaveLength(6);
    // 2 per second: six starts need at least two more windows after the first.
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(1800);
  });

  it('a task rate limit spaces that task\'s starts, on a queue with no limit of its own', async () => {
    const queued = await runner.enqueueMany([1, 2, 3, 4, 5, 6].map((n) => ({ task: 'limits_task_rated', kwargs: { n } })));
    await Promise.all(queued.map((q) => runner.waitFor(q.runId, 15000)));
    const times = starts.filter((s) => s.task === 'task_rated').map((s) => s.at).sort((a, b) => a - b);
    expect(times).toHaveLength(6);
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(1800);
  });

  it('a critical task jumps a queue of ordinary ones', async () => {
    const queue = app.get(QueueRegistry).get('workflows');
    await queue.pause(true);
    const routine = await runner.enqueueMany([1, 2, 3, 4, 5].map((n) => ({ task: 'limits_routine', kwargs: { n } })));
    const critical = await runner.enqueue({ task: 'limits_critical' });
    await queue.resume(true);
    await Promise.all([...routine, critical].map((q) => runner.waitFor(q.runId, 15000)));
    const order = starts.filter((s) => s.task === 'routine' || s.task === 'critical').sort((a, b) => a.at - b.at).map((s) => s.task);
    expect(order.indexOf('critical')).toBeLessThanOrEqual(1);
  });

  it('a worker recycles itself after WORKER_MAX_JOBS: it exits 0 and leaves the rest queued', async () => {
    // On the suppliers queue, which only this worker consumes.
    const worker = await startServer({ ...t.env, APP_ROLES: 'worker', WORKER_QUEUES: 'suppliers', QUEUE_SUPPLIERS_CONCURRENCY: '1', WORKER_MAX_JOBS: '3' });
    for (let i = 0; i < 6; i++) await runner.enqueue({ task: 'system_health_check' }, { queue: 'suppliers' });
    const code = await Promise.race([new Promise((resolve) => worker.child.on('exit', resolve)), sleep(30000).then(() => 'still running')]);
    expect(code).toBe(0);
    expect(worker.output()).toContain('worker recycling');
    const waiting = await app.get(QueueRegistry).get('suppliers').getWaitingCount();
    expect(waiting).toBeGreaterThanOrEqual(1);
    expect(waiting).toBeLessThanOrEqual(3);
  });
});
