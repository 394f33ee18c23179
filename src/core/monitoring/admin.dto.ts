import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDate, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { QUEUE_NAMES } from '../queues/queue-names.js';
import { TASK_RUN_STATES, type TaskRunState } from '../tasks/task-run.entity.js';

export class RunQuery {
  @IsOptional() @IsString() @Length(1, 200) task?: string;
  @IsOptional() @IsIn(QUEUE_NAMES) queue?: string;
  @IsOptional() @IsIn(TASK_RUN_STATES) state?: TaskRunState;
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  /** Text in the run's arguments or error. */
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  /** `next_cursor` of the previous page. */
  @IsOptional() @IsString() @Length(1, 200) before?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 50;
}

export class CleanQueueDto {
  @IsIn(['completed', 'failed'])
  state!: 'completed' | 'failed';

  /** Only jobs finished longer ago than this. */
  @IsOptional() @IsInt() @Min(0)
  older_than_s = 0;
}

export class ScheduleDto {
  @IsString() @Length(1, 200) name!: string;
  @IsString() @Length(1, 200) task!: string;
  /** Five fields, or six with seconds first. */
  @IsString() @Length(1, 100) cron!: string;
  @IsOptional() @IsArray() args?: unknown[];
  @IsOptional() @IsObject() kwargs?: Record<string, unknown>;
  @IsOptional() @IsString() timezone?: string;
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsBoolean() one_off?: boolean;
  @IsOptional() @IsString() @Length(0, 500) description?: string;
}

export class UpdateScheduleDto {
  @IsOptional() @IsString() @Length(1, 200) name?: string;
  @IsOptional() @IsString() @Length(1, 200) task?: string;
  @IsOptional() @IsString() @Length(1, 100) cron?: string;
  @IsOptional() @IsArray() args?: unknown[];
  @IsOptional() @IsObject() kwargs?: Record<string, unknown>;
  @IsOptional() @IsString() timezone?: string;
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsBoolean() one_off?: boolean;
  @IsOptional() @IsString() @Length(0, 500) description?: string;
}

export class HealthHistoryQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 50;
}
