import { Injectable } from '@nestjs/common';
import type { JobOptions } from 'bull';
import { randomUUID } from 'node:crypto';
import { ServiceUnavailableError, TaskFailedError } from '../errors.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { buildTaskArguments } from './task-arguments.js';
import { TaskExecutor } from './task-executor.js';
import { TaskHistoryWriter } from './task-history.writer.js';
import { TaskRegistry } from './task-registry.js';
import type { TaskOptions } from './task.decorator.js';
import type { QueueName } from '../queues/queue-names.js';

export interface TaskRequest {
  task: string;
  /** Use this run id (and Bull job id) instead of a new one: enqueueing it twice then adds one job. */
  runId?: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

export interface EnqueueOptions {
  /** Another queue than the task's own (a schedule's queue override). */
  queue?: QueueName;
  /** Delay before the job becomes runnable, in ms. */
  delayMs?: number;
  priority?: number;
  /** Carried in the job for TaskHooks (workflow steps). */
  meta?: Record<string, unknown>;
  /** Overrides of the task's retry policy, and a hard time limit per attempt. */
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

/** Bull job payload. The task name is the job name; the run id is the job id. */
export interface TaskJobData {
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Context for TaskHooks, e.g. the workflow step this run is. */
  meta?: Record<string, unknown>;
  /** A hard time limit per attempt: past it the attempt fails as timed out. */
  timeoutMs?: number;
}

/**
 * The one way to start a task: `runNow` in this process, or `enqueue` to its queue. Both validate
 * the arguments first, so an unknown task or a bad argument never becomes a job.
 */
@Injectable()
export class TaskRunner {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly queues: QueueRegistry,
    private readonly history: TaskHistoryWriter,
    private readonly executor: TaskExecutor,
    private readonly redis: RedisConnections,
  ) {}

  /** Validates without running: throws UnknownTaskError or TaskArgumentsError. */
  validate(request: TaskRequest) {
    const task = this.registry.get(request.task);
    buildTaskArguments(task.options, request.args ?? [], request.kwargs ?? {});
    return task;
  }

  async runNow(request: TaskRequest): Promise<{ runId: string; result: unknown }> {
    const task = this.validate(request);
    const runId = randomUUID();
    const outcome = await this.executor.execute(task, {
      runId,
      args: request.args ?? [],
      kwargs: request.kwargs ?? {},
      attempt: 1,
      maxAttempts: 1,
      queuedAt: new Date(),
      mode: 'inline',
    });
    await this.history.flush();
    if (!outcome.ok) throw new TaskFailedError(request.task, runId, outcome.error.message);
    return { runId, result: outcome.result };
  }

  async enqueue(request: TaskRequest, options: EnqueueOptions = {}): Promise<{ runId: string; queue: string }> {
    const [queued] = await this.enqueueMany([request], options);
    return queued;
  }

  /**
   * Enqueues many runs with one round trip per queue (Bull's addBulk), e.g. a fan-out over every
   * supplier. All are validated first: one bad request enqueues none.
   */
  async enqueueMany(requests: TaskRequest[], options: EnqueueOptions = {}): Promise<{ runId: string; queue: string }[]> {
    const planned = requests.map((request) => {
      const task = this.validate(request);
      const data: TaskJobData = { args: request.args ?? [], kwargs: request.kwargs ?? {}, ...(options.meta ? { meta: options.meta } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
      return { task, data, runId: request.runId ?? randomUUID(), queue: options.queue ?? task.options.queue };
    });
    await this.redis.assertReachable('nothing was enqueued');
    const queuedAt = new Date();
    const byQueue = new Map<QueueName, typeof planned>();
    for (const run of planned) {
      const list = byQueue.get(run.queue) ?? [];
      list.push(run);
      byQueue.set(run.queue, list);
    }
    for (const [queueName, runs] of byQueue) {
      const jobs = runs.map(({ task, data, runId }) => ({ name: task.options.name, data, opts: this.jobOptions(task.options, runId, options) }));
      try {
        await this.queues.get(queueName).addBulk(jobs);
      } catch (error) {
        throw new ServiceUnavailableError(`Could not enqueue to the ${queueName} queue: ${(error as Error).message}. Is Redis running at REDIS_URL?`);
      }
    }
    for (const { task, data, runId, queue } of planned) {
      this.history.record({ id: runId, task: task.options.name, queue, mode: 'queued', args: data.args, kwargs: data.kwargs, state: 'queued', attempt: 0, at: queuedAt, queuedAt });
    }
    return planned.map(({ runId, queue }) => ({ runId, queue }));
  }

  private jobOptions(task: TaskOptions<any>, runId: string, options: EnqueueOptions): JobOptions {
    const jobOptions: JobOptions = { jobId: runId };
    const attempts = options.attempts ?? task.attempts;
    const backoffMs = options.backoffMs ?? task.backoffMs;
    if (attempts) jobOptions.attempts = attempts;
    if (backoffMs !== undefined) jobOptions.backoff = { type: 'exponential', delay: backoffMs };
    if (options.delayMs) jobOptions.delay = options.delayMs;
    const priority = options.priority ?? task.priority;
    if (priority) jobOptions.priority = priority;
    return jobOptions;
  }

  /** Waits for a queued run to finish and returns its result; throws TaskFailedError if it failed for good. */
  async waitFor(runId: string, timeoutMs: number): Promise<unknown> {
    for (const [, queue] of this.queues.all()) {
      const job = await queue.getJob(runId);
      if (!job) continue;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ServiceUnavailableError(`Run ${runId} did not finish within ${Math.round(timeoutMs / 1000)} s. Is a worker consuming the ${queue.name} queue? "dropflow status" shows the workers.`)), timeoutMs);
      });
      try {
        return await Promise.race([job.finished(), timeout]);
      } catch (error) {
        if (error instanceof ServiceUnavailableError) throw error;
        throw new TaskFailedError(job.name, runId, (error as Error).message);
      } finally {
        clearTimeout(timer);
      }
    }
    throw new ServiceUnavailableError(`No job ${runId} on any queue; it may have been removed by retention (JOB_KEEP_COMPLETED / JOB_KEEP_FAILED).`);
  }
}
