import { UsageError } from '../core/errors.js';

export type OutputFormat = 'text' | 'json';

/** Parses --format: text (a table for people) or json (one document for scripts). */
export function parseFormat(value: string): OutputFormat {
  if (value === 'text' || value === 'json') return value;
  throw new UsageError(`--format must be text or json (got ${JSON.stringify(value)})`);
}
