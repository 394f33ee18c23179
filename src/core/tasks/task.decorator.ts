import { DiscoveryService } from '@nestjs/core';
import type { QueueName } from '../queues/queue-names.js';

export type ArgumentsClass<A extends object = object> = new () => A;

export interface TaskOptions<A extends object = object> {
  /** The Celery-compatible task name, e.g. "sync_supplier_products". */
  name: string;
  queue: QueueName;
  /** One line for `run-task --list-tasks` and the dashboard. */
  description: string;
  /** A class-validator class whose snake_case properties are the task's arguments; none when omitted. */
  arguments?: ArgumentsClass<A>;
  /** The order in which positional `args` map onto those properties, as in the Celery signature. */
  positional?: (keyof A & string)[];
  /** Overrides the queue defaults for this task. */
  attempts?: number;
  backoffMs?: number;
  /** Bull priority, 1 the highest: a critical task jumps its queue. */
  priority?: number;
  /** The soft limit aborts `context.signal` (the task should stop and clean up); the hard limit fails the run as timed out. Defaults: TASK_SOFT_TIME_LIMIT_MS, TASK_TIME_LIMIT_MS. */
  softTimeLimitMs?: number;
  timeLimitMs?: number;
  /** At most `max` runs of this task start per `durationMs`, across every worker (Celery's rate_limit); TASK_RATE_LIMITS overrides it. */
  rateLimit?: { max: number; durationMs: number };
}

/** What every task class implements. The runner calls `run` with validated arguments. */
export interface TaskHandler<A extends object = object, R = unknown> {
  run(args: A, context: TaskContext): Promise<R>;
}

export interface TaskContext {
  runId: string;
  /** 1 for the first try. */
  attempt: number;
  /** True when run in the calling process (CLI `run-task` without --async). */
  inline: boolean;
  /** Aborted at the soft time limit (and at the hard one): long tasks check it between steps and stop. */
  signal: AbortSignal;
}

/**
 * Declares a task. The class must also be a provider of its domain module; the registry finds
 * it by this metadata at boot, so registering a task is this decorator and nothing else.
 */
export const Task = DiscoveryService.createDecorator<TaskOptions<any>>();
