import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { BudgetExhaustedError, NotFoundError } from '../core/errors.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { checkAiTaskInput } from './ai-task-input.js';
import { AiTask, type AiTaskKind } from './entities/ai-task.entity.js';
import { ListingDraftsService } from './listing-drafts.service.js';
import { ProductAnalysisService } from './product-analysis.service.js';
import { AiProviders } from './providers/ai-providers.js';

interface Outcome {
  output: unknown;
  provider?: string;
  model?: string;
  tokensIn?: number;
  tokensOut?: number;
  cost?: number;
  latencyMs?: number;
}

/** Stored AI tasks: created over the API, run by process_ai_task on the ai_processing queue. */
@Injectable()
export class AiTasksService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectRepository(AiTask) private readonly tasks: Repository<AiTask>,
    private readonly runner: TaskRunner,
    private readonly analyses: ProductAnalysisService,
    private readonly drafts: ListingDraftsService,
    private readonly ai: AiProviders,
  ) {}

  async create(kind: AiTaskKind, input: unknown, provider?: string): Promise<{ task: AiTask; runId: string }> {
    const checked = checkAiTaskInput(kind, input);
    if (provider) this.ai.resolve(provider);
    const task = await this.tasks.save(this.tasks.create({ kind, input: { ...checked, ...(provider ? { provider } : {}) }, state: 'pending', tokensIn: 0, tokensOut: 0, cost: '0' }));
    const { runId } = await this.runner.enqueue({ task: 'process_ai_task', kwargs: { ai_task_id: task.id } });
    return { task, runId };
  }

  async get(id: number): Promise<AiTask> {
    const task = await this.tasks.findOneBy({ id });
    if (!task) throw new NotFoundError(`AI task ${id} does not exist.`);
    return task;
  }

  async process(id: number): Promise<AiTask> {
    const task = await this.get(id);
    await this.tasks.update(id, { state: 'running', error: null });
    try {
      const outcome = await this.run(task.kind, task.input);
      await this.tasks.update(id, {
        state: 'succeeded',
        output: outcome.output as object,
        provider: outcome.provider ?? null,
        model: outcome.model ?? null,
        tokensIn: outcome.tokensIn ?? 0,
        tokensOut: outcome.tokensOut ?? 0,
        cost: String(outcome.cost ?? 0),
        latencyMs: outcome.latencyMs ?? null,
        finishedAt: new Date(),
      });
    } catch (error) {
      // Over budget with AI_BUDGET_EXHAUSTED=wait, the task runs again when the budget refills: it is pending, not failed.
      const waits = error instanceof BudgetExhaustedError && this.config.ai.onBudgetExhausted === 'wait';
      await this.tasks.update(id, { state: waits ? 'pending' : 'failed', error: (error as Error).message, finishedAt: waits ? null : new Date() });
      throw error;
    }
    return this.get(id);
  }

  private async run(kind: AiTaskKind, input: Record<string, unknown>): Promise<Outcome> {
    const provider = input.provider as string | undefined;
    if (kind === 'analyze_product') {
      const { cached, analysis, metered } = await this.analyses.analyzeOne(String(input.product_id), provider);
      return { output: { cached, ...analysis }, ...metered };
    }
    if (kind === 'generate_listing') {
      const { draft, metered } = await this.drafts.generateOne(Number(input.marketplace_id), String(input.product_id), provider);
      return { output: { draft_id: draft.id, title: draft.title, description: draft.description, bullet_points: draft.bulletPoints, tags: draft.tags, state: draft.state }, ...metered };
    }
    const metered = await this.ai.call('analyze_text', (p) => p.analyzeFeedback(String(input.text), (input.rating as number | undefined) ?? null), provider);
    return { output: metered.value, ...metered };
  }
}
