/** What a worker process publishes to Redis every HEARTBEAT_INTERVAL_MS. */
export interface WorkerHeartbeat {
  id: string;
  host: string;
  pid: number;
  roles: string[];
  queues: string[];
  concurrency: Record<string, number>;
  active: number;
  processed: number;
  failed: number;
  startedAt: string;
  uptimeSeconds: number;
  rssBytes: number;
  cpuPercent: number;
  eventLoopLagMs: number;
  version: string;
  beatAt: string;
}

export interface WorkerStatus extends WorkerHeartbeat {
  online: boolean;
  lastSeenSecondsAgo: number;
}

/** Redis keys under the Bull prefix, so one prefix isolates one installation (and one test). */
export const heartbeatKeys = (prefix: string) => ({
  index: `${prefix}:workers`,
  worker: (id: string) => `${prefix}:worker:${id}`,
});

/** A worker that missed this many beats is offline. */
export const MISSED_BEATS_OFFLINE = 3;
