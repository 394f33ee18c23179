import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { readdir, stat, statfs } from 'node:fs/promises';
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { WorkerDirectory } from '../workers/worker-directory.js';
import { HealthCheckRecord, type HealthCheckItem, type HealthStatus } from './health-check.entity.js';

const RANK: Record<HealthStatus, number> = { ok: 0, warning: 1, critical: 2 };
const worst = (statuses: HealthStatus[]): HealthStatus => statuses.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');
const byThreshold = (value: number, warn: number, critical: number): HealthStatus => (value >= critical ? 'critical' : value >= warn ? 'warning' : 'ok');
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface HealthSnapshot {
  id: string;
  checkedAt: string;
  status: HealthStatus;
  checks: Record<string, HealthCheckItem>;
}

/** The system health check: every part measured against the thresholds in config, stored, and returned. */
@Injectable()
export class SystemHealthService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectRepository(HealthCheckRecord) private readonly records: Repository<HealthCheckRecord>,
    private readonly redis: RedisConnections,
    private readonly workers: WorkerDirectory,
  ) {}

  async check(): Promise<HealthSnapshot> {
    const [database, redis, disk, logs, workers] = await Promise.all([
      this.checkDatabase(),
      this.checkRedis(),
      this.checkDisk(),
      this.checkLogs(),
      this.checkWorkers(),
    ]);
    const checks = { database, redis, disk, memory: this.checkMemory(), cpu: this.checkCpu(), workers, logs };
    const status = worst(Object.values(checks).map((c) => c.status));
    const record = await this.records.save(this.records.create({ checkedAt: new Date(), status, checks }));
    return { id: String(record.id), checkedAt: record.checkedAt.toISOString(), status, checks };
  }

  private async checkDatabase(): Promise<HealthCheckItem> {
    return this.measured('PostgreSQL', async () => {
      const started = performance.now();
      await this.records.query('SELECT 1');
      return performance.now() - started;
    });
  }

  private async checkRedis(): Promise<HealthCheckItem> {
    return this.measured('Redis', () => this.redis.ping());
  }

  /** `probe` resolves to its own round trip in ms, so opening a connection first is not counted as latency. */
  private async measured(name: string, probe: () => Promise<number>): Promise<HealthCheckItem> {
    const { latencyWarnMs, latencyCriticalMs } = this.config.health;
    try {
      const latencyMs = round(await probe(), 2);
      const status = byThreshold(latencyMs, latencyWarnMs, latencyCriticalMs);
      return { status, message: `${name} answered in ${latencyMs} ms`, latencyMs };
    } catch (error) {
      return { status: 'critical', message: `${name} is unreachable: ${(error as Error).message}` };
    }
  }

  private async checkDisk(): Promise<HealthCheckItem> {
    const { diskWarnPercent, diskCriticalPercent } = this.config.health;
    const paths = [...new Set([process.cwd(), this.config.logging.dir, this.config.backup.dir])];
    const measured = await Promise.all(
      paths.map(async (path) => {
        const existing = await stat(path).then(() => path, () => process.cwd());
        const [fs, { dev }] = await Promise.all([statfs(existing), stat(existing)]);
        const total = fs.blocks * fs.bsize;
        const free = fs.bavail * fs.bsize;
        return { dev, volume: { path: existing, totalBytes: total, freeBytes: free, usedPercent: round(((total - free) / total) * 100) } };
      }),
    );
    // One entry per filesystem: the log and backup directories usually share the working directory's.
    const volumes = [...new Map(measured.map((m) => [m.dev, m.volume])).values()];
    const fullest = volumes.reduce((a, b) => (b.usedPercent > a.usedPercent ? b : a));
    const status = byThreshold(fullest.usedPercent, diskWarnPercent, diskCriticalPercent);
    return { status, message: `disk ${fullest.usedPercent}% used at ${fullest.path}`, volumes };
  }

  private checkMemory(): HealthCheckItem {
    const { memoryWarnPercent, memoryCriticalPercent } = this.config.health;
    const total = totalmem();
    const usedPercent = round(((total - freemem()) / total) * 100);
    return {
      status: byThreshold(usedPercent, memoryWarnPercent, memoryCriticalPercent),
      message: `memory ${usedPercent}% used`,
      totalBytes: total,
      freeBytes: freemem(),
      usedPercent,
      processRssBytes: process.memoryUsage.rss(),
    };
  }

  private checkCpu(): HealthCheckItem {
    const { loadWarnPerCore, loadCriticalPerCore } = this.config.health;
    const cores = availableParallelism();
    const [load1, load5, load15] = loadavg();
    const perCore = round(load1 / cores, 2);
    return { status: byThreshold(perCore, loadWarnPerCore, loadCriticalPerCore), message: `load ${round(load1, 2)} on ${cores} cores`, cores, load1, load5, load15, loadPerCore: perCore };
  }

  private async checkWorkers(): Promise<HealthCheckItem> {
    try {
      const workers = (await this.workers.list()).filter((w) => w.roles.includes('worker'));
      const online = workers.filter((w) => w.online);
      const offline = workers.filter((w) => !w.online);
      const consumed = new Set(online.flatMap((w) => w.queues));
      const status: HealthStatus = online.length === 0 || offline.length > 0 ? 'warning' : 'ok';
      const message =
        online.length === 0
          ? 'no worker is online: queued tasks will wait'
          : `${online.length} worker(s) online${offline.length ? `, ${offline.length} offline: ${offline.map((w) => w.id).join(', ')}` : ''}`;
      return {
        status,
        message,
        online: online.length,
        offline: offline.length,
        queuesConsumed: [...consumed].sort(),
        workers: workers.map((w) => ({ id: w.id, online: w.online, queues: w.queues, active: w.active, processed: w.processed, failed: w.failed, lastSeenSecondsAgo: w.lastSeenSecondsAgo })),
      };
    } catch (error) {
      return { status: 'critical', message: `cannot read worker heartbeats: ${(error as Error).message}` };
    }
  }

  private async checkLogs(): Promise<HealthCheckItem> {
    const dir = this.config.logging.dir;
    const names = await readdir(dir).catch(() => [] as string[]);
    const files = await Promise.all(names.map(async (name) => ({ name, bytes: (await stat(join(dir, name)).catch(() => null))?.size ?? 0 })));
    const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
    const status: HealthStatus = totalBytes >= this.config.health.logDirWarnBytes ? 'warning' : 'ok';
    return { status, message: `${files.length} log file(s), ${round(totalBytes / 1024 / 1024, 2)} MB in ${dir}`, totalBytes, files: files.sort((a, b) => b.bytes - a.bytes) };
  }
}
