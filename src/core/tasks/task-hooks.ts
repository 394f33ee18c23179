import { Injectable } from '@nestjs/common';
import type { TaskJobData } from './task-runner.js';

export interface FinishedAttempt {
  runId: string;
  task: string;
  data: TaskJobData;
  /** 1 for the first try. */
  attempt: number;
  ok: boolean;
  result?: unknown;
  error?: Error;
  /** No attempt will follow: succeeded, or failed for good. */
  final: boolean;
}

/**
 * Code that must run after a queued task's attempt, inside the same job (workflows advance here).
 * It runs before the job completes, so a worker that dies in between leaves the job to be retried
 * rather than the follow-up lost; a hook that throws fails the attempt the same way.
 */
export interface TaskHook {
  afterAttempt(attempt: FinishedAttempt): Promise<void>;
}

/** Where domain modules register their TaskHooks; the worker calls them for jobs that carry `meta`. */
@Injectable()
export class TaskHooks {
  private readonly hooks: TaskHook[] = [];

  register(hook: TaskHook): void {
    this.hooks.push(hook);
  }

  async afterAttempt(attempt: FinishedAttempt): Promise<void> {
    for (const hook of this.hooks) await hook.afterAttempt(attempt);
  }
}
