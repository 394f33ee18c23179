import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { hostname } from 'node:os';
import { AppConfig } from '../../config/app-config.js';
import { APP_VERSION } from '../../version.js';
import { LogService } from '../logging/log.service.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { WORKER_ID } from '../tasks/worker-identity.js';
import { heartbeatKeys, type WorkerHeartbeat } from './worker-heartbeat.js';
import { WorkerService } from './worker.service.js';

/** Details of a stopped or killed worker stay readable this long, so status can show it offline. */
const KEEP_OFFLINE_MS = 60 * 60 * 1000;

/** Publishes this process's heartbeat in the worker and scheduler roles: who is alive, with what load. */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private lag?: IntervalHistogram;
  private lastCpu = process.cpuUsage();
  private lastAt = Date.now();
  private readonly startedAt = new Date();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly worker: WorkerService,
    private readonly log: LogService,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.hasRole('worker') && !this.config.hasRole('scheduler')) return;
    this.lag = monitorEventLoopDelay({ resolution: 20 });
    this.lag.enable();
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.worker.heartbeatIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.lag?.disable();
    const keys = heartbeatKeys(this.config.redis.prefix);
    // A clean stop leaves the worker list at once; only a crashed worker shows as offline.
    await this.redis.client.multi().zrem(keys.index, WORKER_ID).del(keys.worker(WORKER_ID)).exec().catch(() => undefined);
  }

  snapshot(): WorkerHeartbeat {
    const now = Date.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = Math.max(now - this.lastAt, 1);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const lagMs = this.lag ? this.lag.mean / 1e6 : 0;
    this.lag?.reset();
    return {
      id: WORKER_ID,
      host: hostname(),
      pid: process.pid,
      roles: [...this.config.roles],
      queues: this.worker.queueNames,
      concurrency: Object.fromEntries(this.worker.queueNames.map((q) => [q, this.config.worker.concurrency[q]])),
      ...this.worker.counters,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      rssBytes: process.memoryUsage.rss(),
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
      eventLoopLagMs: Number.isFinite(lagMs) ? Math.round(lagMs * 10) / 10 : 0,
      version: APP_VERSION,
      beatAt: new Date(now).toISOString(),
    };
  }

  private async beat() {
    const keys = heartbeatKeys(this.config.redis.prefix);
    const beat = this.snapshot();
    try {
      await this.redis.client
        .multi()
        .set(keys.worker(WORKER_ID), JSON.stringify(beat), 'PX', KEEP_OFFLINE_MS)
        .zadd(keys.index, Date.now(), WORKER_ID)
        .zremrangebyscore(keys.index, 0, Date.now() - KEEP_OFFLINE_MS)
        .exec();
    } catch (error) {
      this.log.root.debug({ err: (error as Error).message }, 'heartbeat not published');
    }
  }
}
