import { Controller, Get, Header, Inject, Req, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { presentedToken, tokenMatches } from '../http/admin-token.guard.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { WorkerDirectory } from '../workers/worker-directory.js';

/** Upper bounds (s) of the task duration histogram. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Prometheus metrics at /metrics: queue depths by state, runs by task and state (last 24 h),
 * task durations as a histogram (last hour), every worker's RSS and CPU, and this process's
 * own. Every process's work is visible from here because it is read from Redis and Postgres at
 * scrape time. ADMIN_TOKEN or METRICS_TOKEN is required.
 */
@Controller()
export class MetricsController {
  private readonly registry = new Registry();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    queues: QueueRegistry,
    workers: WorkerDirectory,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'dropflow_api_' });
    const registers = [this.registry];
    new Gauge({
      name: 'dropflow_queue_jobs',
      help: 'Jobs on each queue by state',
      labelNames: ['queue', 'state'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        for (const [name, queue] of queues.all()) {
          const counts = await queue.getJobCounts();
          for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
        }
      },
    });
    new Gauge({
      name: 'dropflow_task_runs_24h',
      help: 'Task runs queued in the last 24 hours, by task and state',
      labelNames: ['task', 'state'],
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        const rows = (await db.query("SELECT task, state, count(*)::int AS n FROM task_runs WHERE queued_at > now() - interval '24 hours' GROUP BY task, state")) as { task: string; state: string; n: number }[];
        for (const row of rows) this.set({ task: row.task, state: row.state }, row.n);
      },
    });
    const rss = new Gauge({ name: 'dropflow_worker_rss_bytes', help: 'Resident memory of each worker process', labelNames: ['worker'], registers });
    const cpu = new Gauge({ name: 'dropflow_worker_cpu_percent', help: 'CPU use of each worker process', labelNames: ['worker'], registers });
    new Gauge({
      name: 'dropflow_workers_online',
      help: 'Worker processes whose heartbeat is current',
      registers,
      collect: async function (this: Gauge) {
        const list = await workers.list();
        rss.reset();
        cpu.reset();
        for (const worker of list.filter((w) => w.online)) {
          rss.set({ worker: worker.id }, worker.rssBytes);
          cpu.set({ worker: worker.id }, worker.cpuPercent);
        }
        this.set(list.filter((w) => w.online).length);
      },
    });
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(@Req() request: Request): Promise<string> {
    const given = presentedToken(request);
    const allowed = [this.config.admin.token, this.config.admin.metricsToken].filter((t): t is string => Boolean(t));
    if (!(allowed.length === 0 && this.config.admin.insecureDev) && !allowed.some((token) => tokenMatches(given, token))) {
      throw new UnauthorizedException('/metrics needs "Authorization: Bearer <METRICS_TOKEN or ADMIN_TOKEN>".');
    }
    return (await this.registry.metrics()) + (await this.durationHistogram());
  }

  /** Built in SQL from the last hour's finished runs, so it covers every worker process, not just this one. */
  private async durationHistogram(): Promise<string> {
    const rows = (await this.db.query(
      `SELECT task, count(*)::int AS count, coalesce(sum(extract(epoch FROM finished_at - started_at)), 0)::float AS sum,
              ${DURATION_BUCKETS.map((b, i) => `count(*) FILTER (WHERE finished_at - started_at <= interval '${b} seconds')::int AS b${i}`).join(', ')}
         FROM task_runs WHERE finished_at > now() - interval '1 hour' AND started_at IS NOT NULL GROUP BY task ORDER BY task`,
    )) as Record<string, number | string>[];
    const lines = ['# HELP dropflow_task_duration_seconds Task run durations over the last hour', '# TYPE dropflow_task_duration_seconds histogram'];
    for (const row of rows) {
      DURATION_BUCKETS.forEach((bound, i) => lines.push(`dropflow_task_duration_seconds_bucket{task="${row.task}",le="${bound}"} ${row[`b${i}`]}`));
      lines.push(`dropflow_task_duration_seconds_bucket{task="${row.task}",le="+Inf"} ${row.count}`);
      lines.push(`dropflow_task_duration_seconds_sum{task="${row.task}"} ${row.sum}`);
      lines.push(`dropflow_task_duration_seconds_count{task="${row.task}"} ${row.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
