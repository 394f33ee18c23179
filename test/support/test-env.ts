import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { runMigrations } from '../../src/database/migrate.js';

export const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_CREDENTIALS_KEY = 'a1'.repeat(32);

export interface TestEnv {
  /** Environment for a Dropflow process of this test: its own database, Bull prefix and directories. */
  env: Record<string, string>;
  databaseUrl: string;
  prefix: string;
  dir: string;
  redis: Redis;
  db: pg.Client;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database, a Bull prefix and a working directory for one test file, removed by cleanup(). */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `dropflow_test_${id}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  await runMigrations(databaseUrl);
  const prefix = `dftest_${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'dropflow-test-'));
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await redis.connect();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const env = {
    DROPFLOW_ENV_FILE: 'none',
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    BULL_PREFIX: prefix,
    LOG_DIR: join(dir, 'logs'),
    BACKUP_DIR: join(dir, 'backups'),
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: TEST_TOKEN,
    HISTORY_FLUSH_MS: '50',
    HEARTBEAT_INTERVAL_MS: '1000',
    TASK_BACKOFF_MS: '20',
    WORKER_SHUTDOWN_GRACE_MS: '5000',
    CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
    CONNECTOR_RETRY_BASE_MS: '20',
    CONNECTOR_TIMEOUT_MS: '5000',
    SUPPLIER_FEED_DIR: join(dir, 'feeds'),
    ...overrides,
  };
  return {
    env,
    databaseUrl,
    prefix,
    dir,
    redis,
    db,
    async cleanup() {
      await db.end().catch(() => undefined);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      const admin = new pg.Client({ connectionString: ADMIN });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `probe` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A port nothing listens on right now: taken from the OS and released, for a server to come or a connection to be refused. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
