import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_QUEUE_CONCURRENCY, isQueueName, QUEUE_NAMES, type QueueName } from '../core/queues/queue-names.js';
import { EnvironmentVariables } from './environment.js';
import { redactUrl } from '../core/logging/redact.js';

export const ROLES = ['api', 'scheduler', 'worker'] as const;
export type Role = (typeof ROLES)[number];
/** The external services whose request rate is limited per account. */
export type RateLimitedService = 'shopify' | 'woocommerce' | 'supplier_api';
export type AiProviderName = 'embedded' | 'openai';

/**
 * The one configuration object. Built once from the environment by `loadConfig`, validated,
 * and handed to the modules; nothing else reads `process.env`.
 */
export class AppConfig {
  constructor(
    readonly roles: ReadonlySet<Role>,
    readonly http: { port: number; host: string; healthPort?: number },
    readonly database: { url: string; migrateOnStart: boolean; poolSize: number },
    readonly redis: { url: string; tlsRejectUnauthorized: boolean; prefix: string },
    readonly worker: {
      queues: QueueName[];
      concurrency: Record<QueueName, number>;
      heartbeatIntervalMs: number;
      shutdownGraceMs: number;
      lockMs: number;
      stalledCheckMs: number;
      maxStalledCount: number;
      maxJobs: number;
      maxRssBytes: number;
      heapGrowthPercent: number;
      /** Bull's limiter per queue (QUEUE_<NAME>_RATE_LIMIT=max/ms). */
      rateLimits: Partial<Record<QueueName, { max: number; duration: number }>>;
    },
    readonly tasks: {
      defaultAttempts: number;
      backoffMs: number;
      keepCompleted: number;
      keepFailed: number;
      historyFlushMs: number;
      historyBatchSize: number;
      historyRetentionDays: number;
      softTimeLimitMs: number;
      timeLimitMs: number;
      rateLimits: Record<string, { max: number; durationMs: number }>;
    },
    readonly logging: { level: string; dir: string; retentionDays: number; maxTotalBytes: number },
    readonly health: {
      diskWarnPercent: number;
      diskCriticalPercent: number;
      memoryWarnPercent: number;
      memoryCriticalPercent: number;
      loadWarnPerCore: number;
      loadCriticalPerCore: number;
      latencyWarnMs: number;
      latencyCriticalMs: number;
      logDirWarnBytes: number;
      historyRetentionDays: number;
    },
    readonly backup: { dir: string; keep: number; pgDumpPath: string; pgRestorePath: string },
    readonly admin: { token?: string; metricsToken?: string; insecureDev: boolean },
    readonly scheduler: { timezone: string; syncMs: number },
    readonly connectors: {
      timeoutMs: number;
      maxRetries: number;
      retryBaseMs: number;
      maxWaitMs: number;
      requestsPerSecond: Record<RateLimitedService, number>;
      credentialsKey?: Buffer;
    },
    readonly catalog: { feedDir: string; batchSize: number; safetyBuffer: number },
    readonly ai: {
      provider: AiProviderName;
      baseUrl?: string;
      apiKey?: string;
      model: string;
      timeoutMs: number;
      requestsPerSecond: number;
      dailyTokenBudget: number;
      onBudgetExhausted: 'fail' | 'wait';
      pricePer1k: { input: number; output: number };
      storeTone: string;
    },
    readonly analytics: { currency: string },
  ) {}

  hasRole(role: Role): boolean {
    return this.roles.has(role);
  }
}

const MB = 1024 * 1024;

/**
 * Reads and validates the environment. `forCli` builds the CLI's configuration: the CLI has no
 * role (it never serves HTTP, schedules or consumes queues), whatever APP_ROLES says.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, forCli = false): AppConfig {
  const known = Object.fromEntries(
    Object.keys(new EnvironmentVariables()).concat(['WORKER_QUEUES', 'WORKER_CONCURRENCY', 'HEALTH_PORT', 'ADMIN_TOKEN', 'CREDENTIALS_KEY', 'AI_BASE_URL', 'AI_API_KEY', 'METRICS_TOKEN', 'TASK_RATE_LIMITS'])
      .filter((key) => env[key] !== undefined)
      .map((key) => [key, env[key]]),
  );
  const vars = plainToInstance(EnvironmentVariables, known);
  const problems = validateSync(vars, { forbidUnknownValues: false }).map((error) => describe(error, env));

  const roles = forCli ? new Set<Role>() : parseRoles(vars.APP_ROLES, problems);
  const queues = parseQueues(vars.WORKER_QUEUES, problems);
  const concurrency = parseConcurrency(env, vars.WORKER_CONCURRENCY, problems);
  const rateLimits = parseRateLimits(env, problems);
  if (!isTimeZone(vars.BUSINESS_TIMEZONE)) problems.push(`BUSINESS_TIMEZONE must be an IANA timezone such as Europe/Berlin or UTC (got ${JSON.stringify(vars.BUSINESS_TIMEZONE)})`);
  if (vars.HEALTH_DISK_WARN_PERCENT > vars.HEALTH_DISK_CRITICAL_PERCENT) problems.push('HEALTH_DISK_WARN_PERCENT must not exceed HEALTH_DISK_CRITICAL_PERCENT');
  if (roles.has('api') && !vars.ADMIN_TOKEN && !vars.DROPFLOW_INSECURE_DEV) {
    problems.push('ADMIN_TOKEN is required for the api role (at least 16 characters; generate one with: openssl rand -hex 32). For local development only, DROPFLOW_INSECURE_DEV=true serves the admin API without a token.');
  }
  if (vars.AI_PROVIDER === 'openai' && !vars.AI_BASE_URL) problems.push('AI_PROVIDER=openai needs AI_BASE_URL (e.g. https://api.openai.com/v1, or http://127.0.0.1:11434/v1 for Ollama)');
  if (problems.length > 0) throw new ConfigError(problems);

  return new AppConfig(
    roles,
    { port: vars.PORT, host: vars.HOST, healthPort: vars.HEALTH_PORT },
    { url: vars.DATABASE_URL, migrateOnStart: vars.DB_MIGRATE_ON_START, poolSize: vars.DB_POOL_SIZE },
    { url: vars.REDIS_URL, tlsRejectUnauthorized: vars.REDIS_TLS_REJECT_UNAUTHORIZED, prefix: vars.BULL_PREFIX },
    {
      queues,
      concurrency,
      heartbeatIntervalMs: vars.HEARTBEAT_INTERVAL_MS,
      shutdownGraceMs: vars.WORKER_SHUTDOWN_GRACE_MS,
      lockMs: vars.JOB_LOCK_MS,
      stalledCheckMs: vars.STALLED_CHECK_MS,
      maxStalledCount: vars.JOB_MAX_STALLED_COUNT,
      maxJobs: vars.WORKER_MAX_JOBS,
      maxRssBytes: vars.WORKER_MAX_RSS_MB * MB,
      heapGrowthPercent: vars.HEAP_GROWTH_PERCENT,
      rateLimits,
    },
    {
      defaultAttempts: vars.TASK_DEFAULT_ATTEMPTS,
      backoffMs: vars.TASK_BACKOFF_MS,
      keepCompleted: vars.JOB_KEEP_COMPLETED,
      keepFailed: vars.JOB_KEEP_FAILED,
      historyFlushMs: vars.HISTORY_FLUSH_MS,
      historyBatchSize: vars.HISTORY_BATCH_SIZE,
      historyRetentionDays: vars.TASK_HISTORY_RETENTION_DAYS,
      softTimeLimitMs: vars.TASK_SOFT_TIME_LIMIT_MS,
      timeLimitMs: vars.TASK_TIME_LIMIT_MS,
      rateLimits: Object.fromEntries(
        splitList(vars.TASK_RATE_LIMITS ?? '').map((entry) => {
          const [task, rate] = entry.split('=').map((part) => part.trim());
          const [max, durationMs] = rate.split('/').map(Number);
          return [task, { max, durationMs }];
        }),
      ),
    },
    { level: vars.LOG_LEVEL, dir: resolve(vars.LOG_DIR), retentionDays: vars.LOG_RETENTION_DAYS, maxTotalBytes: vars.LOG_MAX_TOTAL_MB * MB },
    {
      diskWarnPercent: vars.HEALTH_DISK_WARN_PERCENT,
      diskCriticalPercent: vars.HEALTH_DISK_CRITICAL_PERCENT,
      memoryWarnPercent: vars.HEALTH_MEMORY_WARN_PERCENT,
      memoryCriticalPercent: vars.HEALTH_MEMORY_CRITICAL_PERCENT,
      loadWarnPerCore: vars.HEALTH_LOAD_WARN_PER_CORE,
      loadCriticalPerCore: vars.HEALTH_LOAD_CRITICAL_PER_CORE,
      latencyWarnMs: vars.HEALTH_LATENCY_WARN_MS,
      latencyCriticalMs: vars.HEALTH_LATENCY_CRITICAL_MS,
      logDirWarnBytes: vars.HEALTH_LOG_DIR_WARN_MB * MB,
      historyRetentionDays: vars.HEALTH_HISTORY_RETENTION_DAYS,
    },
    { dir: resolve(vars.BACKUP_DIR), keep: vars.BACKUP_KEEP, pgDumpPath: vars.PG_DUMP_PATH, pgRestorePath: vars.PG_RESTORE_PATH },
    { token: vars.ADMIN_TOKEN, metricsToken: vars.METRICS_TOKEN, insecureDev: vars.DROPFLOW_INSECURE_DEV },
    { timezone: vars.BUSINESS_TIMEZONE, syncMs: vars.SCHEDULER_SYNC_MS },
    {
      timeoutMs: vars.CONNECTOR_TIMEOUT_MS,
      maxRetries: vars.CONNECTOR_MAX_RETRIES,
      retryBaseMs: vars.CONNECTOR_RETRY_BASE_MS,
      maxWaitMs: vars.CONNECTOR_MAX_WAIT_MS,
      requestsPerSecond: {
        shopify: vars.SHOPIFY_REQUESTS_PER_SECOND,
        woocommerce: vars.WOOCOMMERCE_REQUESTS_PER_SECOND,
        supplier_api: vars.SUPPLIER_API_REQUESTS_PER_SECOND,
      },
      credentialsKey: vars.CREDENTIALS_KEY ? Buffer.from(vars.CREDENTIALS_KEY, 'hex') : undefined,
    },
    { feedDir: resolve(vars.SUPPLIER_FEED_DIR), batchSize: vars.SUPPLIER_SYNC_BATCH_SIZE, safetyBuffer: vars.INVENTORY_SAFETY_BUFFER },
    {
      provider: vars.AI_PROVIDER as AiProviderName,
      baseUrl: vars.AI_BASE_URL,
      apiKey: vars.AI_API_KEY,
      model: vars.AI_MODEL,
      timeoutMs: vars.AI_TIMEOUT_MS,
      requestsPerSecond: vars.AI_REQUESTS_PER_SECOND,
      dailyTokenBudget: vars.AI_DAILY_TOKEN_BUDGET,
      onBudgetExhausted: vars.AI_BUDGET_EXHAUSTED as 'fail' | 'wait',
      pricePer1k: { input: vars.AI_PRICE_INPUT_PER_1K, output: vars.AI_PRICE_OUTPUT_PER_1K },
      storeTone: vars.AI_STORE_TONE,
    },
    { currency: vars.STORE_CURRENCY },
  );
}

function describe(error: ValidationError, env: NodeJS.ProcessEnv): string {
  const raw = env[error.property];
  const shown = /TOKEN|PASSWORD|SECRET|KEY/.test(error.property) ? '(hidden)' : JSON.stringify(/_URL$/.test(error.property) && raw ? redactUrl(raw) : raw);
  const expected = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property} must be ${expected.replace(new RegExp(`^${error.property} (must be )?`), '')} (got ${shown})`;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function splitList(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

function parseRoles(value: string, problems: string[]): Set<Role> {
  const roles = new Set<Role>();
  for (const role of splitList(value ?? '')) {
    if (role === 'all') ROLES.forEach((r) => roles.add(r));
    else if ((ROLES as readonly string[]).includes(role)) roles.add(role as Role);
    else problems.push(`APP_ROLES has an unknown role "${role}"; use api, scheduler, worker or all`);
  }
  return roles;
}

function parseQueues(value: string | undefined, problems: string[]): QueueName[] {
  if (!value) return [...QUEUE_NAMES];
  const queues: QueueName[] = [];
  for (const name of splitList(value)) {
    if (isQueueName(name)) queues.push(name);
    else problems.push(`WORKER_QUEUES has an unknown queue "${name}"; the queues are ${QUEUE_NAMES.join(', ')}`);
  }
  return queues;
}

/** QUEUE_<NAME>_RATE_LIMIT=max/ms: at most `max` jobs of that queue start per `ms`, across every worker (Bull's limiter). */
function parseRateLimits(env: NodeJS.ProcessEnv, problems: string[]): Partial<Record<QueueName, { max: number; duration: number }>> {
  const limits: Partial<Record<QueueName, { max: number; duration: number }>> = {};
  for (const queue of QUEUE_NAMES) {
    const key = `QUEUE_${queue.toUpperCase()}_RATE_LIMIT`;
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
    if (match && Number(match[1]) > 0 && Number(match[2]) > 0) limits[queue] = { max: Number(match[1]), duration: Number(match[2]) };
    else problems.push(`${key} must be max/milliseconds, e.g. 10/1000 for ten jobs a second (got ${JSON.stringify(raw)})`);
  }
  return limits;
}

/** WORKER_CONCURRENCY overrides every consumed queue (Celery's --concurrency); QUEUE_<NAME>_CONCURRENCY sets one queue. */
function parseConcurrency(env: NodeJS.ProcessEnv, override: number | undefined, problems: string[]): Record<QueueName, number> {
  const result = { ...DEFAULT_QUEUE_CONCURRENCY };
  for (const queue of QUEUE_NAMES) {
    const key = `QUEUE_${queue.toUpperCase()}_CONCURRENCY`;
    const raw = env[key];
    if (raw !== undefined) {
      const parsed = Number(raw);
      if (Number.isInteger(parsed) && parsed >= 1 && parsed <= 1000) result[queue] = parsed;
      else problems.push(`${key} must be a whole number from 1 to 1000 (got ${JSON.stringify(raw)})`);
    }
    if (override !== undefined) result[queue] = override;
  }
  return result;
}
