import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config.js';
import { LogService } from '../logging/log.service.js';
import { isQueueName } from '../queues/queue-names.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { TaskRegistry } from '../tasks/task-registry.js';
import { TaskRunner } from '../tasks/task-runner.js';
import { nextFireAfter } from './cron-schedule.js';
import { PeriodicTask } from './periodic-task.entity.js';
import { PeriodicTasksService } from './periodic-tasks.service.js';

interface Scheduled {
  task: PeriodicTask;
  signature: string;
  job: CronJob;
  /** The schedule time the next tick stands for: the same in every scheduler process. */
  expected: Date;
}

/** How long a tick's claim lives in Redis: far longer than schedulers can disagree about a tick. */
const CLAIM_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * The scheduler role (Celery Beat). Loads the enabled periodic tasks into @nestjs/schedule's
 * registry, re-reads them every SCHEDULER_SYNC_MS so edits apply without a restart, and on each
 * tick enqueues the task once across all scheduler processes: the tick's schedule time is
 * claimed in Redis with SET NX, and only the process that wins enqueues. A tick missed while no
 * scheduler ran is not replayed: the next one fires as usual.
 */
@Injectable()
export class BeatService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly scheduled = new Map<number, Scheduled>();
  private syncTimer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private readonly log: Logger;
  private readonly warnedMissing = new Set<string>();
  /** Delay from schedule time to enqueue of the ticks this process fired, for status and the bench. */
  readonly delaysMs: number[] = [];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly periodic: PeriodicTasksService,
    private readonly cron: SchedulerRegistry,
    private readonly runner: TaskRunner,
    private readonly registry: TaskRegistry,
    private readonly redis: RedisConnections,
    logs: LogService,
  ) {
    this.log = logs.forFile('scheduler');
  }

  async onApplicationBootstrap() {
    await this.sync().catch((error: Error) => this.log.error({ err: error.message }, 'could not load periodic tasks; retrying'));
    this.syncTimer = setInterval(() => void this.sync().catch((error: Error) => this.log.error({ err: error.message }, 'could not reload periodic tasks')), this.config.scheduler.syncMs);
    this.log.info({ schedules: this.scheduled.size, syncMs: this.config.scheduler.syncMs }, 'scheduler started');
  }

  onModuleDestroy() {
    clearInterval(this.syncTimer);
    for (const id of [...this.scheduled.keys()]) this.unschedule(id);
  }

  /** Brings the cron registry in line with the table: adds, replaces and removes jobs. */
  sync(): Promise<void> {
    this.syncing ??= this.reload().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async reload() {
    const now = new Date();
    const wanted = new Map((await this.periodic.list()).filter((t) => t.enabled && !(t.expiresAt && t.expiresAt <= now)).map((t) => [t.id, t]));
    for (const id of this.scheduled.keys()) if (!wanted.has(id)) this.unschedule(id, 'removed or disabled');
    for (const task of wanted.values()) {
      const signature = JSON.stringify([task.task, task.args, task.kwargs, task.queue, task.cron, task.timezone, task.oneOff, task.startTime, task.expiresAt]);
      const current = this.scheduled.get(task.id);
      if (current?.signature === signature) {
        current.task = task;
        continue;
      }
      if (current) this.unschedule(task.id, 'changed');
      this.schedule(task, signature);
    }
  }

  private schedule(task: PeriodicTask, signature: string) {
    try {
      const job = CronJob.from({ cronTime: task.cron, timeZone: task.timezone, onTick: () => void this.tick(task.id), start: false });
      const entry: Scheduled = { task, signature, job, expected: nextFireAfter(task.cron, task.timezone, new Date()) };
      this.scheduled.set(task.id, entry);
      this.cron.addCronJob(this.jobName(task.id), job);
      job.start();
      this.log.info({ schedule: task.name, task: task.task, cron: task.cron, timezone: task.timezone, next: entry.expected.toISOString() }, 'schedule loaded');
    } catch (error) {
      this.log.error({ schedule: task.name, cron: task.cron, err: (error as Error).message }, 'schedule not loaded: invalid cron or timezone');
    }
  }

  private unschedule(id: number, reason?: string) {
    const entry = this.scheduled.get(id);
    if (!entry) return;
    void entry.job.stop();
    this.cron.deleteCronJob(this.jobName(id));
    this.scheduled.delete(id);
    if (reason) this.log.info({ schedule: entry.task.name, reason }, 'schedule unloaded');
  }

  private async tick(id: number) {
    const entry = this.scheduled.get(id);
    if (!entry) return;
    const { task } = entry;
    // Every process steps through the same sequence of schedule times, whenever its timer fires;
    // a tick late enough to have passed the next schedule time stands for the latest one.
    let due = entry.expected;
    let following = nextFireAfter(task.cron, task.timezone, due);
    while (following.getTime() <= Date.now() + 50) {
      due = following;
      following = nextFireAfter(task.cron, task.timezone, due);
    }
    entry.expected = following;
    if (task.startTime && due < task.startTime) return;
    if (task.expiresAt && due >= task.expiresAt) {
      this.log.info({ schedule: task.name }, 'schedule expired; disabling it');
      await this.periodic.disable(task.id);
      this.unschedule(task.id);
      return;
    }
    if (!this.registry.has(task.task)) {
      if (!this.warnedMissing.has(task.task)) this.log.warn({ schedule: task.name, task: task.task }, 'schedule names a task that is not registered yet; skipping its ticks until it is');
      this.warnedMissing.add(task.task);
      return;
    }
    try {
      const claimed = await this.redis.client.set(`${this.config.redis.prefix}:beat:${task.id}:${due.getTime()}`, String(process.pid), 'PX', CLAIM_TTL_MS, 'NX');
      if (claimed !== 'OK') return;
      const { runId } = await this.runner.enqueue(
        { task: task.task, args: task.args, kwargs: task.kwargs },
        task.queue && isQueueName(task.queue) ? { queue: task.queue } : {},
      );
      const delayMs = Date.now() - due.getTime();
      this.delaysMs.push(delayMs);
      if (this.delaysMs.length > 1000) this.delaysMs.shift();
      await this.periodic.markFired(task.id, due, task.oneOff);
      if (task.oneOff) this.unschedule(task.id, 'one-off fired');
      this.log.info({ schedule: task.name, task: task.task, runId, scheduledFor: due.toISOString(), delayMs }, 'schedule fired');
    } catch (error) {
      this.log.error({ schedule: task.name, task: task.task, err: (error as Error).message }, 'schedule could not fire this tick');
    }
  }

  private jobName(id: number) {
    return `periodic:${id}`;
  }
}
