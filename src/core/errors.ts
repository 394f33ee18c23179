/**
 * One error type per failure kind. Each carries a message meant for the operator: what was
 * wrong and what to do. `exitCode` is what the CLI exits with; `httpStatus` what the API answers.
 */
export abstract class DropflowError extends Error {
  abstract readonly exitCode: number;
  abstract readonly httpStatus: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The environment does not describe a runnable configuration. */
export class ConfigError extends DropflowError {
  readonly exitCode = 78;
  readonly httpStatus = 500;
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix these environment variables (see .env.example) and start again.`);
  }
}

/** The caller asked for something that cannot be run as asked (bad flag, bad JSON, unknown task, bad arguments). */
export class UsageError extends DropflowError {
  readonly exitCode = 2;
  readonly httpStatus = 400;
}

export class UnknownTaskError extends UsageError {
  constructor(readonly taskName: string, known: string[]) {
    super(`Unknown task "${taskName}". Registered tasks: ${known.join(', ') || '(none)'}. Run "dropflow run-task --list-tasks" to see them with their arguments.`);
  }
}

export class TaskArgumentsError extends UsageError {
  constructor(readonly taskName: string, readonly problems: string[]) {
    super(`Invalid arguments for task "${taskName}":\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A local program the task needs (pg_dump, …) is missing. Retrying will not help. */
export class MissingDependencyError extends DropflowError {
  readonly exitCode = 69;
  readonly httpStatus = 500;
}

/** A task ran and failed; the message is the task's own error. */
export class TaskFailedError extends DropflowError {
  readonly exitCode = 1;
  readonly httpStatus = 500;
  constructor(readonly taskName: string, readonly runId: string, cause: string) {
    super(`Task "${taskName}" (run ${runId}) failed: ${cause}`);
  }
}

/** Redis or Postgres cannot be reached. */
export class ServiceUnavailableError extends DropflowError {
  readonly exitCode = 69;
  readonly httpStatus = 503;
}

/** The record a task or request names (a supplier, a marketplace, an order) does not exist. */
export class NotFoundError extends DropflowError {
  readonly exitCode = 1;
  readonly httpStatus = 404;
}

/** An external system (supplier, marketplace, AI provider) refused our credentials. Retrying will not help. */
export class ExternalAuthError extends DropflowError {
  readonly exitCode = 1;
  readonly httpStatus = 502;
}

/** An external system could not be reached or kept failing (DNS, refused, timeout, 5xx, rate limited). Later may work. */
export class ExternalUnavailableError extends DropflowError {
  readonly exitCode = 69;
  readonly httpStatus = 503;
}

/** An external system answered with something we cannot use: a 4xx, or a body in the wrong format. */
export class ExternalResponseError extends DropflowError {
  readonly exitCode = 1;
  readonly httpStatus = 502;
}

/** A run went past its hard time limit. */
export class TaskTimeoutError extends DropflowError {
  readonly exitCode = 1;
  readonly httpStatus = 504;
}

/** A spending budget (AI tokens per day) is used up; `resetsAt` says when it refills. */
export class BudgetExhaustedError extends DropflowError {
  readonly exitCode = 75;
  readonly httpStatus = 429;
  constructor(message: string, readonly resetsAt: Date) {
    super(message);
  }
}

/** Errors that retrying cannot fix: the worker fails the run at once instead of retrying. */
export function isPermanentError(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof MissingDependencyError ||
    error instanceof NotFoundError ||
    error instanceof ExternalAuthError ||
    error instanceof ExternalResponseError ||
    error instanceof BudgetExhaustedError
  );
}
