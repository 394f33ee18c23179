import { loadConfig } from '../../src/config/app-config.js';
import { ConfigError } from '../../src/core/errors.js';
import { redactSecrets, redactUrl } from '../../src/core/logging/redact.js';
import { redisOptionsFromUrl } from '../../src/core/redis/redis-options.js';

const base = { ADMIN_TOKEN: 'a-long-enough-admin-token' };
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('has working defaults: all roles, six queues at their DESIGN concurrency', () => {
    const config = loadConfig(base);
    expect([...config.roles].sort()).toEqual(['api', 'scheduler', 'worker']);
    expect(config.worker.queues).toEqual(['suppliers', 'marketplaces', 'workflows', 'ai_processing', 'analytics', 'maintenance']);
    expect(config.worker.concurrency).toEqual({ suppliers: 2, marketplaces: 3, workflows: 2, ai_processing: 1, analytics: 1, maintenance: 1 });
    expect(config.database.migrateOnStart).toBe(true);
  });

  it('takes the Celery-style worker flags from the environment', () => {
    const config = loadConfig({ APP_ROLES: 'worker', WORKER_QUEUES: 'suppliers', WORKER_CONCURRENCY: '2', QUEUE_MARKETPLACES_CONCURRENCY: '7' });
    expect([...config.roles]).toEqual(['worker']);
    expect(config.worker.queues).toEqual(['suppliers']);
    expect(config.worker.concurrency.suppliers).toBe(2);
    const perQueue = loadConfig({ APP_ROLES: 'worker', QUEUE_MARKETPLACES_CONCURRENCY: '7' });
    expect(perQueue.worker.concurrency.marketplaces).toBe(7);
  });

  it('names each wrong variable and the form it expects', () => {
    const problems = problemsOf({ ...base, PORT: 'eighty', APP_ROLES: 'api,cook', WORKER_QUEUES: 'suppliers,emails', DB_MIGRATE_ON_START: 'maybe', REDIS_URL: 'localhost:6379', QUEUE_SUPPLIERS_CONCURRENCY: '0' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be .*integer.* \(got "eighty"\)$/),
        'APP_ROLES has an unknown role "cook"; use api, scheduler, worker or all',
        expect.stringMatching(/^WORKER_QUEUES has an unknown queue "emails"; the queues are suppliers, marketplaces/),
        expect.stringMatching(/^DB_MIGRATE_ON_START must be .*boolean.* \(got "maybe"\)$/),
        expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ \(TLS\) URL/),
        'QUEUE_SUPPLIERS_CONCURRENCY must be a whole number from 1 to 1000 (got "0")',
      ]),
    );
  });

  it('refuses the api role without an admin token unless insecure development is asked for', () => {
    expect(problemsOf({ APP_ROLES: 'api' })).toEqual([expect.stringContaining('ADMIN_TOKEN is required for the api role')]);
    expect(problemsOf({ APP_ROLES: 'api', DROPFLOW_INSECURE_DEV: 'true' })).toEqual([]);
    expect(problemsOf({ APP_ROLES: 'worker' })).toEqual([]);
  });

  it('never echoes a secret in a configuration error', () => {
    const error = (() => {
      try {
        loadConfig({ ADMIN_TOKEN: 'short-secret', DATABASE_URL: 'mysql://u:hunter2@h/db' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('ADMIN_TOKEN must be at least 16 characters');
    expect(error?.message).not.toContain('short-secret');
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('Redis URL', () => {
  it('carries AUTH, database and TLS', () => {
    expect(redisOptionsFromUrl('redis://127.0.0.1:6380/2')).toEqual({ host: '127.0.0.1', port: 6380, db: 2 });
    expect(redisOptionsFromUrl('rediss://app:s%40cret@cache.internal:6390/1')).toEqual({
      host: 'cache.internal',
      port: 6390,
      db: 1,
      username: 'app',
      password: 's@cret',
      tls: { servername: 'cache.internal', rejectUnauthorized: true },
    });
    expect(redisOptionsFromUrl('redis://:pw@[::1]').host).toBe('::1');
  });
});

describe('redaction', () => {
  it('hides passwords in URLs and secret-looking keys at any depth', () => {
    expect(redactUrl('postgres://app:hunter2@db/x')).toBe('postgres://app:%5Bredacted%5D@db/x');
    expect(redactSecrets({ supplier_id: 1, credentials: { token: 'abc' }, nested: [{ api_key: 'k', name: 'n' }] })).toEqual({
      supplier_id: 1,
      credentials: '[redacted]',
      nested: [{ api_key: '[redacted]', name: 'n' }],
    });
  });
});
