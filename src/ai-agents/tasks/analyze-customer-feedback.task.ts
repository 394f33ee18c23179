import { Injectable } from '@nestjs/common';
import { IsIn, IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { AiBudgetPolicy } from '../ai-budget.policy.js';
import { FeedbackService } from '../feedback.service.js';

export class AnalyzeCustomerFeedbackArguments {
  /** Only feedback received since this time (ISO 8601). */
  @IsOptional() @IsISO8601()
  since?: string;

  @IsOptional() @IsInt() @Min(1)
  marketplace_id?: number;

  @IsOptional() @IsIn(['embedded', 'openai'])
  provider?: string;
}

@Injectable()
@Task({
  name: 'analyze_customer_feedback',
  queue: 'ai_processing',
  description: 'Score new customer feedback for sentiment and aspects (shipping, quality, price…), then refresh each product\'s roll-up',
  arguments: AnalyzeCustomerFeedbackArguments,
  positional: ['since', 'marketplace_id'],
})
export class AnalyzeCustomerFeedbackTask implements TaskHandler<AnalyzeCustomerFeedbackArguments> {
  constructor(
    private readonly feedback: FeedbackService,
    private readonly budget: AiBudgetPolicy,
  ) {}

  run(args: AnalyzeCustomerFeedbackArguments) {
    return this.budget.run('analyze_customer_feedback', { ...args }, () =>
      this.feedback.analyzePending({ since: args.since ? new Date(args.since) : undefined, marketplaceId: args.marketplace_id, provider: args.provider }),
    );
  }
}
