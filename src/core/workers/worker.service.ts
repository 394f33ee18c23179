import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../../config/app-config.js';
import { LogService } from '../logging/log.service.js';
import type { QueueName } from '../queues/queue-names.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { TaskExecutor } from '../tasks/task-executor.js';
import { TaskHistoryWriter } from '../tasks/task-history.writer.js';
import { TaskHooks } from '../tasks/task-hooks.js';
import { TaskRegistry } from '../tasks/task-registry.js';
import type { TaskJobData } from '../tasks/task-runner.js';
import { WORKER_ID } from '../tasks/worker-identity.js';
import type { TaskOptions } from '../tasks/task.decorator.js';
import { RateLimiters } from '../connectors/rate-limiters.js';
import { runIdForJob } from '../tasks/run-id.js';

/** What Bull says when it fails a job for stalling too often (bull/lib/queue.js, moveUnlockedJobsToWait). */
const BULL_STALLED_OUT = 'job stalled more than allowable limit';

export interface WorkerCounters {
  active: number;
  processed: number;
  failed: number;
}

/**
 * Consumes the queues of WORKER_QUEUES, in the worker role only. One `process('*')` per queue with
 * the queue's concurrency: Bull adds up the concurrency of named processors, so one catch-all
 * processor that dispatches by job name is what makes QUEUE_<NAME>_CONCURRENCY exact.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly counters: WorkerCounters = { active: 0, processed: 0, failed: 0 };
  private consumed: [QueueName, Queue][] = [];
  private recycling = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
    private readonly registry: TaskRegistry,
    private readonly executor: TaskExecutor,
    private readonly history: TaskHistoryWriter,
    private readonly hooks: TaskHooks,
    private readonly log: LogService,
    private readonly limiters: RateLimiters,
  ) {}

  get queueNames(): QueueName[] {
    return this.consumed.map(([name]) => name);
  }

  onApplicationBootstrap() {
    if (!this.config.hasRole('worker')) return;
    this.consumed = this.config.worker.queues.map((name) => [name, this.queues.get(name)]);
    for (const [name, queue] of this.consumed) {
      const concurrency = this.config.worker.concurrency[name];
      // process() resolves only when the queue closes; failures to start are reported by Bull's error event.
      void queue.process('*', concurrency, (job: Job<TaskJobData>) => this.dispatch(name, job)).catch(() => undefined);
      queue.on('error', (error: Error) => this.log.forFile(name).error({ err: error.message }, 'queue error'));
      queue.on('failed', (job: Job<TaskJobData> | null, error: Error) => {
        if (job && error.message === BULL_STALLED_OUT) this.recordStalledOut(name, job);
      });
      this.log.forFile(name).info({ queue: name, concurrency, worker: WORKER_ID }, 'worker consuming queue');
    }
  }

  /** Stops taking jobs and lets active ones finish, up to WORKER_SHUTDOWN_GRACE_MS. */
  async onModuleDestroy() {
    if (this.consumed.length === 0) return;
    const grace = this.config.worker.shutdownGraceMs;
    this.log.root.info({ active: this.counters.active, graceMs: grace }, 'worker stopping: waiting for active jobs');
    const closing = Promise.all(this.consumed.map(([, queue]) => queue.close()));
    let timer: NodeJS.Timeout | undefined;
    const expired = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), grace))),
    ]);
    clearTimeout(timer);
    if (expired) {
      this.log.root.warn({ active: this.counters.active }, 'grace period over; leaving active jobs to stalled-job recovery on another worker');
      await Promise.all(this.consumed.map(([, queue]) => queue.close(true)));
    }
  }

  /**
   * Bull fails a job whose workers died under it more than JOB_MAX_STALLED_COUNT times without
   * running our code, so its run would stay "started" in history: record the failure here.
   */
  private recordStalledOut(queue: QueueName, job: Job<TaskJobData>): void {
    const error = new Error(`Its worker stopped mid-run more than ${this.config.worker.maxStalledCount} time(s) (JOB_MAX_STALLED_COUNT), so it was failed in case it is what kills workers; retry it once that is ruled out.`);
    this.recordFailureOutsideTask(queue, job, error);
    this.log.forFile(queue).error({ runId: runIdForJob(queue, job.id), task: job.name }, error.message);
  }

  /** A job that failed before or without its task running: the executor never saw it, so its history row is written here. */
  private recordFailureOutsideTask(queue: QueueName, job: Job<TaskJobData>, error: Error): void {
    this.history.record({
      id: runIdForJob(queue, job.id), task: job.name, queue, mode: 'queued', args: job.data.args ?? [], kwargs: job.data.kwargs ?? {}, state: 'failed',
      attempt: job.attemptsMade + 1, at: new Date(), queuedAt: new Date(job.timestamp), error: error.message, stack: error.stack, worker: WORKER_ID,
    });
  }

  /** A task's own start rate (TASK_RATE_LIMITS or `rateLimit` on @Task), shared by every worker through Redis. */
  private async waitForTaskRate(options: TaskOptions<any>): Promise<void> {
    const limit = this.config.tasks.rateLimits[options.name] ?? options.rateLimit;
    if (!limit) return;
    await this.limiters.for(`task:${options.name}`, limit.max / (limit.durationMs / 1000)).acquire();
  }

  /**
   * After WORKER_MAX_JOBS jobs, or above WORKER_MAX_RSS_MB, the process shuts down gracefully
   * (SIGTERM to itself: active jobs finish) and exits 0; PM2, systemd or Kubernetes starts a
   * fresh one. Leaks and fragmentation stay bounded, as with Celery's max-tasks-per-child.
   */
  private recycleIfDue(): void {
    if (this.recycling) return;
    const { maxJobs, maxRssBytes } = this.config.worker;
    const jobs = this.counters.processed + this.counters.failed;
    // Reading the RSS reads /proc on Linux: only when a memory cap is set, not on every job.
    const rss = maxRssBytes > 0 ? process.memoryUsage.rss() : 0;
    const reason = maxJobs > 0 && jobs >= maxJobs ? `${jobs} jobs done (WORKER_MAX_JOBS=${maxJobs})` : maxRssBytes > 0 && rss > maxRssBytes ? `RSS ${Math.round(rss / 1048576)} MB over WORKER_MAX_RSS_MB` : null;
    if (!reason) return;
    this.recycling = true;
    this.log.root.info({ reason }, 'worker recycling: exiting cleanly to be replaced');
    process.kill(process.pid, 'SIGTERM');
  }

  private async dispatch(queue: QueueName, job: Job<TaskJobData>): Promise<unknown> {
    this.counters.active += 1;
    try {
      const runId = runIdForJob(queue, job.id);
      const maxAttempts = job.opts.attempts ?? 1;
      const attempt = job.attemptsMade + 1;
      if (!this.registry.has(job.name)) {
        // A job no task claims (enqueued by another version, say): retrying cannot help.
        job.discard();
        const error = new Error(`No task "${job.name}" is registered in this worker; it cannot run this job.`);
        this.recordFailureOutsideTask(queue, job, error);
        this.counters.failed += 1;
        throw error;
      }
      const task = this.registry.get(job.name);
      await this.waitForTaskRate(task.options);
      const outcome = await this.executor.execute(task, {
        runId,
        args: job.data.args ?? [],
        kwargs: job.data.kwargs ?? {},
        attempt,
        maxAttempts,
        queuedAt: new Date(job.timestamp),
        mode: 'queued',
        timeoutMs: job.data.timeoutMs,
      });
      const final = outcome.ok || outcome.final;
      if (job.data.meta) {
        await this.hooks.afterAttempt({ runId, task: job.name, data: job.data, attempt, ok: outcome.ok, final, ...(outcome.ok ? { result: outcome.result } : { error: outcome.error }) });
      }
      if (outcome.ok) {
        this.counters.processed += 1;
        this.recycleIfDue();
        return outcome.result;
      }
      this.counters.failed += 1;
      this.recycleIfDue();
      if (outcome.final && attempt < maxAttempts) job.discard();
      throw outcome.error;
    } finally {
      this.counters.active -= 1;
    }
  }
}
