import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { isPermanentError } from '../errors.js';
import { LogService } from '../logging/log.service.js';
import { redactSecrets } from '../logging/redact.js';
import { buildTaskArguments } from './task-arguments.js';
import { TaskHistoryWriter } from './task-history.writer.js';
import type { RegisteredTask } from './task-registry.js';
import type { TaskRunMode } from './task-run.entity.js';
import { WORKER_ID } from './worker-identity.js';

export interface Execution {
  runId: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  attempt: number;
  maxAttempts: number;
  queuedAt: Date;
  mode: TaskRunMode;
  timeoutMs?: number;
}

export type Outcome = { ok: true; result: unknown } | { ok: false; error: Error; final: boolean };

/**
 * Runs one attempt of a task, wherever it runs (CLI inline or a worker): validates the arguments,
 * calls the handler, and records started / succeeded / retrying / failed in history and in the
 * queue's log file. It never throws; the caller decides what a failure means for its job.
 */
@Injectable()
export class TaskExecutor {
  constructor(
    private readonly history: TaskHistoryWriter,
    private readonly log: LogService,
  ) {}

  async execute(task: RegisteredTask, run: Execution): Promise<Outcome> {
    const { name, queue } = task.options;
    const logger: Logger = this.log.forFile(queue);
    const base = { id: run.runId, task: name, queue, mode: run.mode, args: run.args, kwargs: run.kwargs, attempt: run.attempt, queuedAt: run.queuedAt, worker: WORKER_ID };
    const startedAt = Date.now();
    this.history.record({ ...base, state: 'started', at: new Date(startedAt) });
    logger.info({ runId: run.runId, task: name, attempt: run.attempt, args: redactSecrets(run.args), kwargs: redactSecrets(run.kwargs) }, 'task started');
    try {
      const args = buildTaskArguments(task.options, run.args, run.kwargs);
      const running = task.handler.run(args, { runId: run.runId, attempt: run.attempt, inline: run.mode === 'inline' });
      const result = toJson(run.timeoutMs ? await withTimeout(running, run.timeoutMs) : await running);
      this.history.record({ ...base, state: 'succeeded', at: new Date(), result });
      logger.info({ runId: run.runId, task: name, attempt: run.attempt, ms: Date.now() - startedAt }, 'task succeeded');
      return { ok: true, result };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const final = run.attempt >= run.maxAttempts || isPermanentError(error);
      this.history.record({ ...base, state: final ? 'failed' : 'retrying', at: new Date(), error: error.message, stack: error.stack });
      logger[final ? 'error' : 'warn'](
        { runId: run.runId, task: name, attempt: run.attempt, ms: Date.now() - startedAt, err: error.message },
        final ? 'task failed' : 'task failed; will retry',
      );
      return { ok: false, error, final };
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Results are stored as JSON (history and Bull); normalise them once so both hold the same thing. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
