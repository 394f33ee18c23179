import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { BudgetExhaustedError } from '../core/errors.js';
import { TaskRunner } from '../core/tasks/task-runner.js';

/**
 * What an AI task does when the day's token budget runs out: with AI_BUDGET_EXHAUSTED=fail it
 * fails with the budget's message; with =wait it enqueues itself again for when the budget
 * refills and ends as deferred. Work already done stays done: the tasks skip it next time.
 */
@Injectable()
export class AiBudgetPolicy {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly runner: TaskRunner,
  ) {}

  async run<T>(task: string, kwargs: Record<string, unknown>, work: () => Promise<T>): Promise<T | { deferred_until: string; run_id: string; reason: string }> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BudgetExhaustedError) || this.config.ai.onBudgetExhausted !== 'wait') throw error;
      const delayMs = Math.max(1000, error.resetsAt.getTime() - Date.now());
      const { runId } = await this.runner.enqueue({ task, kwargs }, { delayMs });
      return { deferred_until: error.resetsAt.toISOString(), run_id: runId, reason: error.message };
    }
  }
}
