import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config.js';
import { RedisConnections } from '../redis/redis-connections.js';

/** Waits for its turn before each request to one external account. */
export interface AccountRateLimiter {
  acquire(): Promise<void>;
}

/**
 * Per-account request limits kept in Redis, so every worker process talking to the same shop
 * shares one budget. A window of one second holds `requestsPerSecond` calls (rounded up to one
 * call per 1/rate seconds below one per second).
 */
@Injectable()
export class RateLimiters {
  private readonly limiters = new Map<string, AccountRateLimiter>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  /** `account` names the budget, e.g. "shopify:3"; the same name always gets the same limiter. */
  for(account: string, requestsPerSecond: number): AccountRateLimiter {
    const name = `${account}@${requestsPerSecond}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const slow = requestsPerSecond < 1;
      const store = new RateLimiterRedis({
        storeClient: this.redis.client,
        keyPrefix: `${this.config.redis.prefix}:ratelimit`,
        points: slow ? 1 : Math.floor(requestsPerSecond),
        duration: slow ? Math.round(1 / requestsPerSecond) : 1,
      });
      limiter = { acquire: () => take(store, account) };
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

async function take(store: RateLimiterRedis, key: string): Promise<void> {
  for (;;) {
    try {
      await store.consume(key, 1);
      return;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      await new Promise((resolve) => setTimeout(resolve, Math.max(rejection.msBeforeNext, 5)));
    }
  }
}
