import { Injectable } from '@nestjs/common';
import { IsInt, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { AiBudgetPolicy } from '../ai-budget.policy.js';
import { AiTasksService } from '../ai-tasks.service.js';

export class ProcessAiTaskArguments {
  @IsInt() @Min(1)
  ai_task_id!: number;
}

@Injectable()
@Task({
  name: 'process_ai_task',
  queue: 'ai_processing',
  description: 'Run one stored AI task (analyze_product, generate_listing, analyze_text) and store its output, tokens and cost',
  arguments: ProcessAiTaskArguments,
  positional: ['ai_task_id'],
})
export class ProcessAiTaskTask implements TaskHandler<ProcessAiTaskArguments> {
  constructor(
    private readonly tasks: AiTasksService,
    private readonly budget: AiBudgetPolicy,
  ) {}

  run({ ai_task_id }: ProcessAiTaskArguments) {
    return this.budget.run('process_ai_task', { ai_task_id }, async () => {
      const task = await this.tasks.process(ai_task_id);
      return { ai_task_id, kind: task.kind, state: task.state, provider: task.provider, tokens: task.tokensIn + task.tokensOut, cost: task.cost, output: task.output };
    });
  }
}
