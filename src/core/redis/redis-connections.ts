import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '../../config/app-config.js';
import { LogService } from '../logging/log.service.js';
import { reconnectBackoff, redisOptionsFromUrl } from './redis-options.js';
import { ServiceUnavailableError } from '../errors.js';
import { redactUrl } from '../logging/redact.js';

export type BullClientType = 'client' | 'subscriber' | 'bclient';

/**
 * Owns every Redis connection of the process. Bull's queues share one command connection and
 * one subscriber (Bull's documented connection reuse), each queue gets its own blocking
 * connection, and the health check has a connection that fails fast instead of queueing commands.
 */
@Injectable()
export class RedisConnections implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly base: RedisOptions;
  private readonly opened: Redis[] = [];
  private shared?: { client: Redis; subscriber: Redis };
  private probe?: Redis;

  private readonly url: string;

  constructor(@Inject(AppConfig) config: AppConfig, private readonly log: LogService) {
    this.url = config.redis.url;
    this.base = { ...redisOptionsFromUrl(config.redis.url, config.redis.tlsRejectUnauthorized), retryStrategy: reconnectBackoff, lazyConnect: false };
  }

  /** Bull's createClient hook. */
  forBull(type: BullClientType): Redis {
    if (type === 'bclient') return this.open('bull-blocking', { maxRetriesPerRequest: null, enableReadyCheck: false });
    this.shared ??= {
      client: this.open('bull-client', {}),
      subscriber: this.open('bull-subscriber', { maxRetriesPerRequest: null, enableReadyCheck: false }),
    };
    return this.shared[type];
  }

  /**
   * Throws ServiceUnavailableError, saying what to do, when Redis does not answer within
   * `timeoutMs`. Costs nothing while the shared connection is up.
   */
  async assertReachable(action: string, timeoutMs = 2000): Promise<void> {
    if (this.client.status === 'ready') return;
    try {
      await this.ping(timeoutMs);
    } catch (error) {
      throw new ServiceUnavailableError(`Redis is unreachable at ${redactUrl(this.url)} (${(error as Error).message}); ${action}. Start Redis or fix REDIS_URL.`);
    }
  }

  /** The command connection Bull uses, for our own keys (heartbeats, locks). */
  get client(): Redis {
    return this.forBull('client');
  }

  /**
   * PINGs Redis on a connection that does not queue commands while disconnected, so a dead Redis
   * is reported within `timeoutMs` instead of hanging. Resolves to the latency in ms.
   */
  async ping(timeoutMs = 2000): Promise<number> {
    this.probe ??= this.open('health-probe', { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeoutMs });
    const probe = this.probe;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms (${probe.status})`)), timeoutMs);
    });
    try {
      if (probe.status !== 'ready') await Promise.race([new Promise((resolve) => probe.once('ready', resolve)), deadline]);
      // Timed from ready: the first probe of a process would otherwise report its connection setup as latency.
      const started = performance.now();
      await Promise.race([probe.ping(), deadline]);
      return Math.round((performance.now() - started) * 100) / 100;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Bull's queue.close() first waits for its connections to be ready; with Redis down that is
   * forever. Ending the connections that are not ready makes that wait fail, so a process whose
   * Redis is gone still shuts down.
   */
  beforeApplicationShutdown() {
    for (const redis of this.opened) if (redis.status !== 'ready') redis.disconnect();
  }

  async onApplicationShutdown() {
    // QUIT is a command: on a connection that is not ready it would wait in the offline queue forever.
    await Promise.all(this.opened.map((redis) => (redis.status === 'ready' ? redis.quit().catch(() => redis.disconnect()) : redis.disconnect())));
  }

  private open(name: string, extra: RedisOptions): Redis {
    const redis = new Redis({ ...this.base, connectionName: `dropflow:${name}`, ...extra });
    let lastError = '';
    redis.on('error', (error: Error) => {
      // ioredis repeats the same error on every reconnect attempt; say it once per change.
      if (error.message !== lastError) this.log.root.warn({ redis: name, err: error.message }, 'Redis connection error; retrying with backoff');
      lastError = error.message;
    });
    redis.on('ready', () => {
      if (lastError) this.log.root.info({ redis: name }, 'Redis connection restored');
      lastError = '';
    });
    this.opened.push(redis);
    return redis;
  }
}
