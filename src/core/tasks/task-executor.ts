import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Logger } from 'pino';
import { isPermanentError, TaskTimeoutError } from '../errors.js';
import { LogService } from '../logging/log.service.js';
import { redactSecrets } from '../logging/redact.js';
import { buildTaskArguments } from './task-arguments.js';
import { TaskHistoryWriter, type TaskRunEvent } from './task-history.writer.js';
import type { RegisteredTask } from './task-registry.js';
import type { TaskRunMode, TaskRunState } from './task-run.entity.js';
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
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(task: RegisteredTask, run: Execution): Promise<Outcome> {
    const { name, queue } = task.options;
    const logger: Logger = this.log.forFile(queue);
    // A literal per change, not `{ ...base, state }`: V8 copies a spread followed by more properties
    // on its slow path, several microseconds per object on every job a worker runs.
    const change = (state: TaskRunState, at: Date, outcome?: Pick<TaskRunEvent, 'result' | 'error' | 'stack'>): TaskRunEvent => ({
      id: run.runId, task: name, queue, mode: run.mode, args: run.args, kwargs: run.kwargs, attempt: run.attempt, queuedAt: run.queuedAt, worker: WORKER_ID,
      state, at, result: outcome?.result, error: outcome?.error, stack: outcome?.stack,
    });
    const startedAt = Date.now();
    this.history.record(change('started', new Date(startedAt)));
    // Redacting the arguments costs a deep copy per job: only when the line will be written.
    if (logger.isLevelEnabled('info')) logger.info({ runId: run.runId, task: name, attempt: run.attempt, args: redactSecrets(run.args), kwargs: redactSecrets(run.kwargs) }, 'task started');
    try {
      const args = buildTaskArguments(task.options, run.args, run.kwargs);
      const hard = run.timeoutMs ?? task.options.timeLimitMs ?? this.config.tasks.timeLimitMs;
      const soft = task.options.softTimeLimitMs ?? this.config.tasks.softTimeLimitMs;
      const result = toJson(
        await withTimeLimits(soft, hard, (signal) => task.handler.run(args, { runId: run.runId, attempt: run.attempt, inline: run.mode === 'inline', signal })),
      );
      this.history.record(change('succeeded', new Date(), { result }));
      logger.info({ runId: run.runId, task: name, attempt: run.attempt, ms: Date.now() - startedAt }, 'task succeeded');
      return { ok: true, result };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const final = run.attempt >= run.maxAttempts || isPermanentError(error);
      this.history.record(change(final ? 'failed' : 'retrying', new Date(), { error: error.message, stack: error.stack }));
      logger[final ? 'error' : 'warn'](
        { runId: run.runId, task: name, attempt: run.attempt, ms: Date.now() - startedAt, err: error.message },
        final ? 'task failed' : 'task failed; will retry',
      );
      return { ok: false, error, final };
    }
  }
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * Runs `work` with its signal: aborted at the soft limit, so a cooperative task stops itself;
 * at the hard limit the run fails as timed out whatever the task does (and the signal is aborted
 * too, so it stops as soon as it looks). 0 means no limit.
 */
async function withTimeLimits<T>(softMs: number, hardMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  // Most runs have no limit: a controller, two timers and a race per job cost a busy worker a few percent.
  if (softMs <= 0 && hardMs <= 0) return work(NEVER_ABORTED);
  const controller = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  if (softMs > 0) timers.push(setTimeout(() => controller.abort(new TaskTimeoutError(`soft time limit of ${softMs} ms reached; stop and return`)), softMs));
  const limits: Promise<never>[] = [];
  if (hardMs > 0) {
    limits.push(
      new Promise<never>((_, reject) => {
        timers.push(
          setTimeout(() => {
            const error = new TaskTimeoutError(`timed out after ${hardMs} ms (hard time limit)`);
            controller.abort(error);
            reject(error);
          }, hardMs),
        );
      }),
    );
  }
  try {
    return await Promise.race([work(controller.signal), ...limits]);
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}

/** Results are stored as JSON (history and Bull); normalise them once so both hold the same thing. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
