/**
 * References in step arguments: `{{ input.supplier_id }}` reads the execution's input and
 * `{{ steps.sync.result.created }}` an earlier step's result, by dotted path. A string that is
 * exactly one reference takes the referenced value with its type; a reference inside a longer
 * string is interpolated as text.
 */
const REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;

export interface ReferenceContext {
  input: Record<string, unknown>;
  steps: Record<string, { result: unknown }>;
}

/** Every reference path in a value, e.g. ["input.supplier_id", "steps.sync.result.created"]. */
export function referencesIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(REFERENCE)].map((match) => match[1]);
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(referencesIn);
  return [];
}

/** Why a reference path is malformed, or null when it is well formed. */
export function referenceProblem(path: string): string | null {
  const parts = path.split('.');
  if (parts[0] === 'input') return parts.length >= 2 && parts.every(Boolean) ? null : `"{{ ${path} }}" must name a field of the input, e.g. {{ input.supplier_id }}`;
  if (parts[0] === 'steps') return parts.length >= 3 && parts[2] === 'result' && parts.every(Boolean) ? null : `"{{ ${path} }}" must read a step's result, e.g. {{ steps.sync.result }} or {{ steps.sync.result.created }}`;
  return `"{{ ${path} }}" must start with input. or steps.`;
}

export function resolveReferences<T>(value: T, context: ReferenceContext): T {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(whole[1], context) as T;
    return value.replace(REFERENCE, (_, path: string) => {
      const found = lookup(path, context);
      return typeof found === 'string' ? found : JSON.stringify(found ?? null);
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, context)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, context)])) as T;
  return value;
}

function lookup(path: string, context: ReferenceContext): unknown {
  let current: unknown = context;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
