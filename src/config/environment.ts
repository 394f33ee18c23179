import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
const Bool = () => Transform(toBoolean);
const Num = () => Transform(toNumber);

const LIST = /^[a-z_]+(\s*,\s*[a-z_]+)*$/;

/**
 * Every environment variable Dropflow reads, with its default and its form. `.env.example`
 * documents the same list; keep both in step.
 */
export class EnvironmentVariables {
  @Matches(LIST, { message: 'a comma list of roles: api, scheduler, worker, or all' })
  APP_ROLES = 'all';

  @IsOptional() @Matches(LIST, { message: 'a comma list of queue names (suppliers, marketplaces, workflows, ai_processing, analytics, maintenance)' })
  WORKER_QUEUES?: string;

  @IsOptional() @Num() @IsInt() @Min(1) @Max(1000)
  WORKER_CONCURRENCY?: number;

  @Num() @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsOptional() @Num() @IsInt() @Min(1) @Max(65535)
  HEALTH_PORT?: number;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'a postgres:// URL, e.g. postgres://user:password@127.0.0.1:5432/dropflow' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/dropflow';

  @Bool() @IsBoolean()
  DB_MIGRATE_ON_START = true;

  @Num() @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/.+/, { message: 'a redis:// or rediss:// (TLS) URL, e.g. redis://:password@127.0.0.1:6379/0' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Bool() @IsBoolean()
  REDIS_TLS_REJECT_UNAUTHORIZED = true;

  @Matches(/^[A-Za-z0-9_{}:.-]+$/, { message: 'letters, digits and _ { } : . - only (a {hash tag} is allowed for Redis Cluster)' })
  BULL_PREFIX = 'dropflow';

  @Num() @IsInt() @Min(1) @Max(100)
  TASK_DEFAULT_ATTEMPTS = 3;

  @Num() @IsInt() @Min(0)
  TASK_BACKOFF_MS = 2000;

  @Num() @IsInt() @Min(0)
  JOB_KEEP_COMPLETED = 1000;

  @Num() @IsInt() @Min(0)
  JOB_KEEP_FAILED = 5000;

  @Num() @IsInt() @Min(1) @Max(60000)
  HISTORY_FLUSH_MS = 200;

  @Num() @IsInt() @Min(1) @Max(10000)
  HISTORY_BATCH_SIZE = 1000;

  @Num() @IsInt() @Min(1)
  TASK_HISTORY_RETENTION_DAYS = 30;

  @Num() @IsInt() @Min(1)
  HEALTH_HISTORY_RETENTION_DAYS = 30;

  @Num() @IsInt() @Min(500)
  HEARTBEAT_INTERVAL_MS = 5000;

  @Num() @IsInt() @Min(0)
  WORKER_SHUTDOWN_GRACE_MS = 30000;

  /** A worker holds a job's lock this long and renews it; a job whose worker died is recovered once the lock lapses. */
  @Num() @IsInt() @Min(500)
  JOB_LOCK_MS = 30000;

  /** How often workers look for jobs whose lock lapsed (stalled) and put them back. */
  @Num() @IsInt() @Min(500)
  STALLED_CHECK_MS = 30000;

  /** How many times a job whose worker died is put back before it is failed as a likely worker killer (Bull's maxStalledCount). */
  @Num() @IsInt() @Min(0)
  JOB_MAX_STALLED_COUNT = 3;

  /** Recycling (Celery's worker_max_tasks_per_child / worker_max_memory_per_child): a worker exits cleanly after this many jobs, or once above this RSS, and its manager starts a fresh one. 0 turns it off. */
  @Num() @IsInt() @Min(0)
  WORKER_MAX_JOBS = 0;

  @Num() @IsInt() @Min(0)
  WORKER_MAX_RSS_MB = 0;

  /** How far V8 lets the heap grow past what survived the last full collection, in percent (V8's --heap-growing-percent); 0 keeps V8's own rule. */
  @Num() @IsInt() @Min(0) @Max(1000)
  HEAP_GROWTH_PERCENT = 50;

  /** Default time limits of every task (a task may set its own): the soft one aborts the task's signal, the hard one fails the run as timed out. 0 means none. */
  @Num() @IsInt() @Min(0)
  TASK_SOFT_TIME_LIMIT_MS = 0;

  @Num() @IsInt() @Min(0)
  TASK_TIME_LIMIT_MS = 0;

  /** Per-task start rates across every worker, e.g. "sync_marketplace_orders=10/60000,process_ai_task=1/1000". */
  @IsOptional() @Matches(/^\s*[a-z_]+=\d+\/\d+(\s*,\s*[a-z_]+=\d+\/\d+)*\s*$/, { message: 'a comma list of task=max/milliseconds, e.g. process_ai_task=1/1000' })
  TASK_RATE_LIMITS?: string;

  /** The business's timezone: schedules and "a day" are in it. */
  @IsString() @MinLength(1)
  BUSINESS_TIMEZONE = 'UTC';

  @Num() @IsInt() @Min(500) @Max(10000)
  SCHEDULER_SYNC_MS = 5000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString() @MinLength(1)
  LOG_DIR = 'logs';

  @Num() @IsInt() @Min(1)
  LOG_RETENTION_DAYS = 14;

  @Num() @IsInt() @Min(1)
  LOG_MAX_TOTAL_MB = 500;

  @Num() @IsNumber() @Min(0) @Max(100)
  HEALTH_DISK_WARN_PERCENT = 80;

  @Num() @IsNumber() @Min(0) @Max(100)
  HEALTH_DISK_CRITICAL_PERCENT = 90;

  @Num() @IsNumber() @Min(0) @Max(100)
  HEALTH_MEMORY_WARN_PERCENT = 85;

  @Num() @IsNumber() @Min(0) @Max(100)
  HEALTH_MEMORY_CRITICAL_PERCENT = 95;

  @Num() @IsNumber() @Min(0)
  HEALTH_LOAD_WARN_PER_CORE = 1.5;

  @Num() @IsNumber() @Min(0)
  HEALTH_LOAD_CRITICAL_PER_CORE = 3;

  @Num() @IsInt() @Min(1)
  HEALTH_LATENCY_WARN_MS = 250;

  @Num() @IsInt() @Min(1)
  HEALTH_LATENCY_CRITICAL_MS = 1000;

  @Num() @IsInt() @Min(1)
  HEALTH_LOG_DIR_WARN_MB = 1024;

  @IsString() @MinLength(1)
  BACKUP_DIR = 'backups';

  @Num() @IsInt() @Min(1)
  BACKUP_KEEP = 7;

  @IsString() @MinLength(1)
  PG_DUMP_PATH = 'pg_dump';

  @IsString() @MinLength(1)
  PG_RESTORE_PATH = 'pg_restore';

  @IsOptional() @IsString() @MinLength(16, { message: 'at least 16 characters; generate one with: openssl rand -hex 32' })
  ADMIN_TOKEN?: string;

  @Bool() @IsBoolean()
  DROPFLOW_INSECURE_DEV = false;

  /** A token for /metrics alone (for a Prometheus scraper); ADMIN_TOKEN works there too. */
  @IsOptional() @IsString() @MinLength(16, { message: 'at least 16 characters; generate one with: openssl rand -hex 32' })
  METRICS_TOKEN?: string;

  /** Encrypts supplier and marketplace credentials at rest: 32 bytes as 64 hex characters. */
  @IsOptional() @Matches(/^[0-9a-fA-F]{64}$/, { message: '64 hex characters (32 bytes); generate one with: openssl rand -hex 32' })
  CREDENTIALS_KEY?: string;

  @Num() @IsInt() @Min(100)
  CONNECTOR_TIMEOUT_MS = 30000;

  @Num() @IsInt() @Min(0) @Max(20)
  CONNECTOR_MAX_RETRIES = 4;

  @Num() @IsInt() @Min(0)
  CONNECTOR_RETRY_BASE_MS = 1000;

  /** A Retry-After longer than this is not waited out inside the task: the run fails and Bull retries it later. */
  @Num() @IsInt() @Min(0)
  CONNECTOR_MAX_WAIT_MS = 60000;

  @Num() @IsNumber() @Min(0.01)
  SHOPIFY_REQUESTS_PER_SECOND = 2;

  @Num() @IsNumber() @Min(0.01)
  WOOCOMMERCE_REQUESTS_PER_SECOND = 5;

  @Num() @IsNumber() @Min(0.01)
  SUPPLIER_API_REQUESTS_PER_SECOND = 5;

  @IsString() @MinLength(1)
  SUPPLIER_FEED_DIR = 'feeds';

  @Num() @IsInt() @Min(1) @Max(20000)
  SUPPLIER_SYNC_BATCH_SIZE = 2000;

  @Num() @IsInt() @Min(0)
  INVENTORY_SAFETY_BUFFER = 0;

  /** embedded (offline, no network) or openai (any OpenAI-compatible chat-completions server). */
  @IsIn(['embedded', 'openai'])
  AI_PROVIDER = 'embedded';

  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'an http(s) URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1' })
  AI_BASE_URL?: string;

  @IsOptional() @IsString()
  AI_API_KEY?: string;

  @IsString() @MinLength(1)
  AI_MODEL = 'gpt-4o-mini';

  @Num() @IsInt() @Min(100)
  AI_TIMEOUT_MS = 60000;

  @Num() @IsNumber() @Min(0.01)
  AI_REQUESTS_PER_SECOND = 1;

  /** Tokens (in + out) the remote provider may spend per day in BUSINESS_TIMEZONE; 0 means no limit. */
  @Num() @IsInt() @Min(0)
  AI_DAILY_TOKEN_BUDGET = 0;

  /** When the budget is spent: fail the task, or wait (re-enqueue it for when the budget resets). */
  @IsIn(['fail', 'wait'])
  AI_BUDGET_EXHAUSTED = 'fail';

  @Num() @IsNumber() @Min(0)
  AI_PRICE_INPUT_PER_1K = 0;

  @Num() @IsNumber() @Min(0)
  AI_PRICE_OUTPUT_PER_1K = 0;

  /** The one currency reports are in; orders in others are converted with the exchange_rates table. */
  @Matches(/^[A-Z]{3}$/, { message: 'an ISO 4217 code such as USD or EUR' })
  STORE_CURRENCY = 'USD';

  /** The voice generated listings are written in. */
  @IsString() @MinLength(1)
  AI_STORE_TONE = 'friendly and concise';
}
