import { UsageError } from '../core/errors.js';

export type OutputFormat = 'text' | 'json';

/** Parses --format: text (a table for people) or json (one document for scripts). */
export function parseFormat(value: string): OutputFormat {
  if (value === 'text' || value === 'json') return value;
  throw new UsageError(`--format must be text or json (got ${JSON.stringify(value)})`);
}

/** Parses a flag that takes a positive number of seconds (--timeout, --duration, --interval). */
export function parseSeconds(flag: string, value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${flag} must be a positive number of seconds (got ${JSON.stringify(value)})`);
  return seconds;
}
