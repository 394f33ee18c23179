import { Injectable } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Task, type TaskHandler } from '../../core/tasks/task.decorator.js';
import { AiBudgetPolicy } from '../ai-budget.policy.js';
import { ProductAnalysisService } from '../product-analysis.service.js';

export class AnalyzeProductDescriptionsArguments {
  @IsOptional() @IsInt() @Min(1)
  supplier_id?: number;

  @IsOptional() @IsArray() @ArrayMaxSize(10000) @IsInt({ each: true })
  product_ids?: number[];

  @IsOptional() @IsInt() @Min(1) @Max(100000)
  limit = 500;

  /** embedded or openai; AI_PROVIDER when omitted. */
  @IsOptional() @IsIn(['embedded', 'openai'])
  provider?: string;
}

@Injectable()
@Task({
  name: 'analyze_product_descriptions',
  queue: 'ai_processing',
  description: 'Score product descriptions (length, readability, missing key attributes, keywords); a description already scored for its current text is skipped',
  arguments: AnalyzeProductDescriptionsArguments,
  positional: ['supplier_id', 'product_ids', 'limit'],
})
export class AnalyzeProductDescriptionsTask implements TaskHandler<AnalyzeProductDescriptionsArguments> {
  constructor(
    private readonly analyses: ProductAnalysisService,
    private readonly budget: AiBudgetPolicy,
  ) {}

  run(args: AnalyzeProductDescriptionsArguments) {
    return this.budget.run('analyze_product_descriptions', { ...args }, () =>
      this.analyses.analyzeMany({ supplierId: args.supplier_id, productIds: args.product_ids?.map(String), limit: args.limit, provider: args.provider }),
    );
  }
}
