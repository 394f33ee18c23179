import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueueName } from '../queues/queue-names.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { WorkerDirectory } from '../workers/worker-directory.js';

export interface MonitorSample {
  at: string;
  intervalSeconds: number;
  queues: { name: QueueName; depth: number; active: number; delayed: number; failed: number; succeededPerSecond: number; failedPerSecond: number }[];
  workers: { id: string; online: boolean; queues: string[]; active: number; processed: number; failed: number; rssMb: number; cpuPercent: number }[];
}

/** One sample of queue and worker activity, for `dropflow monitor` (Celery's celery_monitor). */
@Injectable()
export class MonitorSampler {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly directory: WorkerDirectory,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Throughput counts the runs that finished since `since`, from history (Bull keeps only recent jobs). */
  async sample(since: Date, only?: QueueName[]): Promise<MonitorSample> {
    const now = new Date();
    const seconds = Math.max((now.getTime() - since.getTime()) / 1000, 0.001);
    const selected = this.queues.all().filter(([name]) => !only || only.includes(name));
    const [counts, finished, processes] = await Promise.all([
      Promise.all(selected.map(async ([name, queue]) => ({ name, counts: await queue.getJobCounts() }))),
      this.db.query(
        `SELECT queue, count(*) FILTER (WHERE state = 'succeeded')::int AS succeeded, count(*) FILTER (WHERE state = 'failed')::int AS failed
           FROM task_runs WHERE finished_at > $1 AND finished_at <= $2 GROUP BY queue`,
        [since, now],
      ) as Promise<{ queue: string; succeeded: number; failed: number }[]>,
      this.directory.list(),
    ]);
    const byQueue = new Map(finished.map((row) => [row.queue, row]));
    const rate = (n: number | undefined) => Math.round(((n ?? 0) / seconds) * 100) / 100;
    return {
      at: now.toISOString(),
      intervalSeconds: Math.round(seconds * 100) / 100,
      queues: counts.map(({ name, counts: c }) => ({
        name,
        depth: c.waiting,
        active: c.active,
        delayed: c.delayed,
        failed: c.failed,
        succeededPerSecond: rate(byQueue.get(name)?.succeeded),
        failedPerSecond: rate(byQueue.get(name)?.failed),
      })),
      workers: processes
        .filter((p) => p.roles.includes('worker') && (!only || p.queues.some((q) => only.includes(q as QueueName))))
        .map((p) => ({ id: p.id, online: p.online, queues: p.queues, active: p.active, processed: p.processed, failed: p.failed, rssMb: Math.round(p.rssBytes / 1024 / 1024), cpuPercent: p.cpuPercent })),
    };
  }
}
