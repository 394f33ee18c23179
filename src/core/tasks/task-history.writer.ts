import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { LogService } from '../logging/log.service.js';
import type { TaskRunMode, TaskRunState } from './task-run.entity.js';

/** One state change of a run, as a process saw it. */
export interface TaskRunEvent {
  id: string;
  task: string;
  queue: string;
  mode: TaskRunMode;
  args: unknown[];
  kwargs: Record<string, unknown>;
  state: TaskRunState;
  attempt: number;
  at: Date;
  queuedAt: Date;
  result?: unknown;
  error?: string;
  stack?: string;
  worker?: string;
}

/**
 * A run's row as it will be upserted: the newest state merged with what earlier changes said.
 * Times are epoch milliseconds, sent as numbers: pg would format every Date as text in JavaScript.
 */
interface PendingRow extends Pick<TaskRunEvent, 'id' | 'task' | 'queue' | 'mode' | 'args' | 'kwargs' | 'state'> {
  seq: number;
  result: unknown;
  error: string | null;
  stack: string | null;
  attempts: number;
  worker: string | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/**
 * A run's state changes come from different processes (the enqueuer writes "queued", a worker
 * "started" and "succeeded") and are flushed in batches, so they can reach Postgres in any order.
 * Each change carries a sequence number, attempt * 10 + phase, and the newest one wins; the
 * merge below and the SQL upsert apply the same rule.
 */
function sequence(state: TaskRunState, attempt: number): number {
  if (state === 'queued') return 0;
  return attempt * 10 + (state === 'started' ? 1 : 2);
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/** Folds `incoming` into `existing`, in place: a worker merges two changes per job, so no copy per merge. */
function merge(existing: PendingRow, incoming: PendingRow): PendingRow {
  const newer = incoming.seq >= existing.seq;
  if (newer) {
    existing.state = incoming.state;
    existing.result = incoming.result;
    existing.error = incoming.error;
    existing.stack = incoming.stack;
    existing.finishedAt = incoming.finishedAt;
    existing.worker = incoming.worker ?? existing.worker;
    existing.seq = incoming.seq;
  } else {
    existing.worker ??= incoming.worker;
  }
  existing.attempts = Math.max(existing.attempts, incoming.attempts);
  existing.queuedAt = earliest(existing.queuedAt, incoming.queuedAt)!;
  existing.startedAt = earliest(existing.startedAt, incoming.startedAt);
  return existing;
}

// One array per column, unnested: the cheapest form for Postgres to take a batch in (measured:
// json_to_recordset costs it ten times as much per row, jsonb_to_recordset twice).
const UPSERT = `
INSERT INTO task_runs AS t (id, task, queue, mode, args, kwargs, state, state_seq, result, error, stack, attempts, worker, queued_at, started_at, finished_at, updated_at)
SELECT r.id, r.task, r.queue, r.mode, r.args, r.kwargs, r.state, r.seq, r.result, r.error, r.stack, r.attempts, r.worker,
       to_timestamp(r.queued_ms / 1000), to_timestamp(r.started_ms / 1000), to_timestamp(r.finished_ms / 1000), now()
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::int[], $9::jsonb[], $10::text[], $11::text[],
            $12::int[], $13::text[], $14::float8[], $15::float8[], $16::float8[])
     AS r(id, task, queue, mode, args, kwargs, state, seq, result, error, stack, attempts, worker, queued_ms, started_ms, finished_ms)
ON CONFLICT (id) DO UPDATE SET
  state       = CASE WHEN excluded.state_seq >= t.state_seq THEN excluded.state ELSE t.state END,
  result      = CASE WHEN excluded.state_seq >= t.state_seq THEN excluded.result ELSE t.result END,
  error       = CASE WHEN excluded.state_seq >= t.state_seq THEN excluded.error ELSE t.error END,
  stack       = CASE WHEN excluded.state_seq >= t.state_seq THEN excluded.stack ELSE t.stack END,
  finished_at = CASE WHEN excluded.state_seq >= t.state_seq THEN excluded.finished_at ELSE t.finished_at END,
  worker      = CASE WHEN excluded.state_seq >= t.state_seq THEN COALESCE(excluded.worker, t.worker) ELSE COALESCE(t.worker, excluded.worker) END,
  state_seq   = GREATEST(t.state_seq, excluded.state_seq),
  attempts    = GREATEST(t.attempts, excluded.attempts),
  queued_at   = LEAST(t.queued_at, excluded.queued_at),
  started_at  = LEAST(t.started_at, excluded.started_at),
  updated_at  = now()`;

/** SQLSTATE classes 22 (data exception) and 23 (constraint violation): retrying the same row cannot succeed. */
function isDataError(error: { code?: string }): boolean {
  return typeof error.code === 'string' && /^2[23]/.test(error.code);
}

/**
 * Writes task run history in batches, off the job's hot path: `record` only merges the change
 * into an in-memory buffer; a timer (HISTORY_FLUSH_MS) or a full batch (HISTORY_BATCH_SIZE)
 * sends the buffer as one upsert. When Postgres is away the buffer is kept and retried, and the
 * buffer is flushed at shutdown, after the workers have stopped.
 */
@Injectable()
export class TaskHistoryWriter implements BeforeApplicationShutdown {
  private buffer = new Map<string, PendingRow>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private flushRequested = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly log: LogService,
  ) {}

  record(event: TaskRunEvent): void {
    const finished = event.state === 'succeeded' || event.state === 'failed' || event.state === 'cancelled';
    const row: PendingRow = {
      id: event.id,
      task: event.task,
      queue: event.queue,
      mode: event.mode,
      args: event.args,
      kwargs: event.kwargs,
      state: event.state,
      seq: sequence(event.state, event.attempt),
      result: event.result ?? null,
      error: event.error ?? null,
      stack: event.stack ?? null,
      attempts: event.attempt,
      worker: event.worker ?? null,
      queuedAt: event.queuedAt.getTime(),
      startedAt: event.state === 'started' ? event.at.getTime() : null,
      finishedAt: finished ? event.at.getTime() : null,
    };
    const existing = this.buffer.get(row.id);
    this.buffer.set(row.id, existing ? merge(existing, row) : row);
    if (this.buffer.size >= this.config.tasks.historyBatchSize) {
      // One flush request per full batch, not one per record while a write is in flight.
      if (!this.flushRequested) {
        this.flushRequested = true;
        void this.flush().finally(() => (this.flushRequested = false));
      }
    }
    else this.timer ??= setTimeout(() => void this.flush(), this.config.tasks.historyFlushMs).unref();
  }

  /** Writes everything buffered so far; resolves when it is in Postgres. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new Map();
    this.flushing = this.write([...batch.values()])
      .then(() => {
        if (this.failures > 0) this.log.root.info({ rows: batch.size }, 'Task history writes resumed');
        this.failures = 0;
      })
      .catch((error: Error & { code?: string }) => (isDataError(error) ? this.writeOneByOne(batch) : this.keepForRetry(batch, error)))
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Postgres is unreachable or failing: keep the rows under anything recorded meanwhile, and try again later. */
  private keepForRetry(batch: Map<string, PendingRow>, error: Error) {
    for (const [id, row] of batch) {
      const newer = this.buffer.get(id);
      this.buffer.set(id, newer ? merge(row, newer) : row);
    }
    this.failures += 1;
    if (this.failures === 1 || this.failures % 50 === 0) {
      this.log.root.error({ err: error.message, pending: this.buffer.size }, 'Cannot write task history to Postgres; keeping it in memory and retrying');
    }
    this.timer ??= setTimeout(() => void this.flush(), Math.min(this.config.tasks.historyFlushMs * 2 ** this.failures, 10_000)).unref();
  }

  /** Postgres refused the batch for its data: write row by row so one bad row cannot hold back the rest. */
  private async writeOneByOne(batch: Map<string, PendingRow>) {
    for (const row of batch.values()) {
      await this.write([row]).catch((error: Error & { code?: string }) => {
        if (!isDataError(error)) return this.keepForRetry(new Map([[row.id, row]]), error);
        this.log.root.error({ runId: row.id, task: row.task, err: error.message }, 'Task history row rejected by Postgres; dropped');
      });
    }
  }

  get pending(): number {
    return this.buffer.size;
  }

  async beforeApplicationShutdown() {
    for (let tries = 0; this.buffer.size > 0 && tries < 20; tries += 1) {
      await this.flush();
      if (this.buffer.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (this.buffer.size > 0) this.log.root.error({ pending: this.buffer.size }, 'Task history could not be written before shutdown');
  }

  private async write(rows: PendingRow[]): Promise<void> {
    const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
    await this.dataSource.query(UPSERT, [
      rows.map((r) => r.id),
      rows.map((r) => r.task),
      rows.map((r) => r.queue),
      rows.map((r) => r.mode),
      rows.map((r) => json(r.args)),
      rows.map((r) => json(r.kwargs)),
      rows.map((r) => r.state),
      rows.map((r) => r.seq),
      rows.map((r) => json(r.result)),
      rows.map((r) => r.error),
      rows.map((r) => r.stack),
      rows.map((r) => r.attempts),
      rows.map((r) => r.worker),
      rows.map((r) => r.queuedAt),
      rows.map((r) => r.startedAt),
      rows.map((r) => r.finishedAt),
    ]);
  }
}
