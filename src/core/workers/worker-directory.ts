import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { heartbeatKeys, MISSED_BEATS_OFFLINE, type WorkerHeartbeat, type WorkerStatus } from './worker-heartbeat.js';

/** Reads the workers' heartbeats: who is online, with what load. Used by health checks, status and the dashboard. */
@Injectable()
export class WorkerDirectory {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  async list(): Promise<WorkerStatus[]> {
    const keys = heartbeatKeys(this.config.redis.prefix);
    const ids = await this.redis.client.zrange(keys.index, 0, -1);
    if (ids.length === 0) return [];
    const raw = await this.redis.client.mget(ids.map((id) => keys.worker(id)));
    const now = Date.now();
    const offlineAfterMs = this.config.worker.heartbeatIntervalMs * MISSED_BEATS_OFFLINE;
    return raw
      .filter((value): value is string => value !== null)
      .map((value) => JSON.parse(value) as WorkerHeartbeat)
      .map((beat) => {
        const ageMs = now - Date.parse(beat.beatAt);
        return { ...beat, online: ageMs <= offlineAfterMs, lastSeenSecondsAgo: Math.round(ageMs / 1000) };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
