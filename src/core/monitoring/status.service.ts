import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { redactUrl } from '../logging/redact.js';
import type { QueueName } from '../queues/queue-names.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { PeriodicTasksService } from '../scheduling/periodic-tasks.service.js';
import { WorkerDirectory } from '../workers/worker-directory.js';
import type { WorkerStatus } from '../workers/worker-heartbeat.js';

export interface QueueStatus {
  name: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  paused: boolean;
  recentFailures?: { id: string; task: string; error: string; failedAt: string | null }[];
}

export interface StatusReport {
  at: string;
  broker: { url: string; reachable: boolean; latencyMs?: number; error?: string };
  database: { reachable: boolean; latencyMs?: number; error?: string };
  queues: QueueStatus[];
  workers: { online: number; offline: number; processes: WorkerStatus[] };
  scheduler: { alive: boolean; processes: string[] };
  nextRuns: { name: string; task: string; nextRunAt: string | null }[];
  schedules?: { name: string; task: string; cron: string; timezone: string; enabled: boolean; lastRunAt: string | null; nextRunAt: string | null; totalRunCount: number }[];
  /** Why the installation cannot work as it stands; non-empty makes `dropflow status` exit non-zero. */
  problems: string[];
}

/** Everything `dropflow status` and the dashboard show about the installation, read from Redis and Postgres. */
@Injectable()
export class StatusService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly queues: QueueRegistry,
    private readonly directory: WorkerDirectory,
    private readonly periodic: PeriodicTasksService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async collect(detailed = false): Promise<StatusReport> {
    const problems: string[] = [];
    const broker: StatusReport['broker'] = { url: redactUrl(this.config.redis.url), reachable: false };
    try {
      broker.latencyMs = await this.redis.ping();
      broker.reachable = true;
    } catch (error) {
      broker.error = (error as Error).message;
      problems.push(`the broker (Redis at ${broker.url}) is unreachable: ${broker.error}`);
    }
    const database: StatusReport['database'] = { reachable: false };
    try {
      const started = performance.now();
      await this.db.query('SELECT 1');
      database.latencyMs = Math.round((performance.now() - started) * 100) / 100;
      database.reachable = true;
    } catch (error) {
      database.error = (error as Error).message;
      problems.push(`the database is unreachable: ${database.error}`);
    }

    const queues = broker.reachable ? await Promise.all(this.queues.all().map(([name]) => this.queueStatus(name, detailed))) : [];
    const processes = broker.reachable ? await this.directory.list() : [];
    const workers = processes.filter((p) => p.roles.includes('worker'));
    const online = workers.filter((w) => w.online);
    if (broker.reachable && online.length === 0) problems.push('no worker is online: queued tasks will wait. Start one with APP_ROLES=worker (or all).');
    const schedulers = processes.filter((p) => p.roles.includes('scheduler') && p.online).map((p) => p.id);

    const schedules = database.reachable ? await this.periodic.list() : [];
    const report: StatusReport = {
      at: new Date().toISOString(),
      broker,
      database,
      queues,
      workers: { online: online.length, offline: workers.length - online.length, processes: detailed ? workers : online },
      scheduler: { alive: schedulers.length > 0, processes: schedulers },
      nextRuns: schedules
        .filter((s) => s.nextRunAt)
        .sort((a, b) => a.nextRunAt!.getTime() - b.nextRunAt!.getTime())
        .slice(0, 5)
        .map((s) => ({ name: s.name, task: s.task, nextRunAt: s.nextRunAt!.toISOString() })),
      problems,
    };
    if (detailed) {
      report.schedules = schedules.map((s) => ({
        name: s.name,
        task: s.task,
        cron: s.cron,
        timezone: s.timezone,
        enabled: s.enabled,
        lastRunAt: s.lastRunAt?.toISOString() ?? null,
        nextRunAt: s.nextRunAt?.toISOString() ?? null,
        totalRunCount: s.totalRunCount,
      }));
    }
    return report;
  }

  private async queueStatus(name: QueueStatus['name'], detailed: boolean): Promise<QueueStatus> {
    const queue = this.queues.get(name);
    const [counts, paused] = await Promise.all([queue.getJobCounts(), queue.isPaused()]);
    const status: QueueStatus = { name, waiting: counts.waiting, active: counts.active, delayed: counts.delayed, failed: counts.failed, completed: counts.completed, paused };
    if (detailed) {
      const failed = await queue.getFailed(0, 4);
      status.recentFailures = failed.map((job) => ({ id: String(job.id), task: job.name, error: job.failedReason ?? '', failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null }));
    }
    return status;
  }
}
