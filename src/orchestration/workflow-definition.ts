import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

/** How a step retries: attempts in all, and the first backoff (doubled each time). */
export class RetryPolicy {
  @IsInt() @Min(1) @Max(100) attempts!: number;
  @IsOptional() @IsInt() @Min(0) backoff_ms?: number;
}

/** One step of a workflow: a registered task, its arguments (which may hold references), and its dependencies. */
export class StepDefinition {
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'id must be lower_snake_case (letters, digits, _), starting with a letter' })
  id!: string;

  @IsString() @MinLength(1) task!: string;

  @IsOptional() @IsArray() args?: unknown[];

  @IsOptional() @IsObject() kwargs?: Record<string, unknown>;

  @IsOptional() @IsArray() @IsString({ each: true }) depends_on?: string[];

  @IsOptional() @ValidateNested() @Type(() => RetryPolicy) retry?: RetryPolicy;

  @IsOptional() @IsInt() @Min(1) timeout_ms?: number;

  /** stop: the workflow fails and its other steps do not run; continue: dependents run anyway. */
  @IsOptional() @IsIn(['stop', 'continue']) on_failure?: 'stop' | 'continue';
}

export class WorkflowDefinitionDto {
  @Matches(/^[\w .-]{1,100}$/, { message: 'name must be 1-100 letters, digits, spaces, _ . or -' })
  name!: string;

  @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @IsOptional() @IsBoolean() enabled?: boolean;

  @IsOptional() @IsString() cron?: string | null;

  @IsOptional() @IsString() timezone?: string;

  @IsOptional() @IsObject() input_defaults?: Record<string, unknown>;

  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => StepDefinition)
  steps!: StepDefinition[];
}
