import { CronTime, validateCronExpression } from 'cron';
import { UsageError } from '../errors.js';

/** Throws a UsageError saying what is wrong with a cron expression. */
export function assertCron(expression: string): void {
  const { valid, error } = validateCronExpression(expression);
  if (!valid) throw new UsageError(`"${expression}" is not a cron expression (${error?.message ?? 'invalid'}). Use five fields (minute hour day month weekday) or six with seconds first, e.g. "*/15 * * * *".`);
}

/** The first fire time strictly after `after`, in the schedule's timezone. */
export function nextFireAfter(expression: string, timezone: string, after: Date): Date {
  return new CronTime(expression, timezone).getNextDateFrom(after, timezone).toJSDate();
}
