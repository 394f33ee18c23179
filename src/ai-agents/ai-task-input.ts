import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, Min, validateSync } from 'class-validator';
import { UsageError } from '../core/errors.js';
import { flattenValidationErrors } from '../core/validation.js';
import type { AiTaskKind } from './entities/ai-task.entity.js';

export class AnalyzeProductInput {
  @IsInt() @Min(1) product_id!: number;
}

export class GenerateListingInput {
  @IsInt() @Min(1) marketplace_id!: number;
  @IsInt() @Min(1) product_id!: number;
}

export class AnalyzeTextInput {
  @IsString() @Length(1, 20000) text!: string;
  @IsOptional() @IsInt() @Min(1) @Max(5) rating?: number;
}

const INPUTS: Record<AiTaskKind, new () => object> = {
  analyze_product: AnalyzeProductInput,
  generate_listing: GenerateListingInput,
  analyze_text: AnalyzeTextInput,
};

export const AI_TASK_KINDS = Object.keys(INPUTS) as AiTaskKind[];

export class CreateAiTaskDto {
  @IsIn(AI_TASK_KINDS) kind!: AiTaskKind;
  @IsObject() input!: Record<string, unknown>;
  @IsOptional() @IsIn(['embedded', 'openai']) provider?: string;
}

/** Checks an AI task's input against its kind, so a bad one is refused before it is stored. */
export function checkAiTaskInput(kind: AiTaskKind, input: unknown): Record<string, unknown> {
  const value = plainToInstance(INPUTS[kind], input ?? {});
  const problems = typeof input === 'object' && input !== null ? flattenValidationErrors(validateSync(value, { whitelist: true, forbidNonWhitelisted: true }), 'input') : ['input must be a JSON object'];
  if (problems.length > 0) throw new UsageError(`Invalid input for an AI task of kind "${kind}":\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return input as Record<string, unknown>;
}
