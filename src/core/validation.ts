import type { ValidationError } from 'class-validator';

/**
 * class-validator's nested errors as one line per problem. Top-level messages stand alone
 * (they name their property); nested ones are prefixed with their path, e.g. "columns.sku: …".
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => flatten(error, prefix ? `${prefix}.` : ''));
}

function flatten(error: ValidationError, prefix: string): string[] {
  const at = `${prefix}${error.property}`;
  return [
    ...Object.values(error.constraints ?? {}).map((message) => (prefix ? `${at}: ${message}` : message)),
    ...(error.children ?? []).flatMap((child) => flatten(child, `${at}.`)),
  ];
}
