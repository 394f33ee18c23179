import type { RedisOptions } from 'ioredis';

/**
 * ioredis options from a redis:// or rediss:// URL: user and password become AUTH,
 * rediss:// turns on TLS, the path picks the database. One parser for Bull and our own clients.
 */
export function redisOptionsFromUrl(url: string, tlsRejectUnauthorized = true): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:') options.tls = { servername: options.host, rejectUnauthorized: tlsRejectUnauthorized };
  return options;
}

/** Reconnect with capped exponential backoff, forever: Redis going away must not kill a worker. */
export function reconnectBackoff(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 10), 5000);
}
