import { IsArray, IsObject, IsOptional } from 'class-validator';

export class RunTaskDto {
  /** Positional arguments, as Celery's `args`. */
  @IsOptional() @IsArray()
  args?: unknown[];

  /** Keyword arguments, as Celery's `kwargs` (snake_case names). */
  @IsOptional() @IsObject()
  kwargs?: Record<string, unknown>;

}
