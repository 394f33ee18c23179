import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationTypes, type ValidationError } from 'class-validator';
import { TaskArgumentsError, UsageError } from '../errors.js';
import type { TaskOptions } from './task.decorator.js';

export class NoArguments {}

/** Parses a CLI/REST `--args` value: a JSON array. */
export function parseArgsJson(raw: string | undefined): unknown[] {
  if (raw === undefined || raw.trim() === '') return [];
  const value = parseJson(raw, '--args', 'a JSON array, e.g. --args \'[1, true]\'');
  if (!Array.isArray(value)) throw new UsageError(`--args must be a JSON array, e.g. --args '[1, true]' (got ${describeJsonType(value)})`);
  return value;
}

/** Parses a CLI/REST `--kwargs` value: a JSON object. */
export function parseKwargsJson(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  const value = parseJson(raw, '--kwargs', 'a JSON object, e.g. --kwargs \'{"force_full_sync": true}\'');
  if (!isPlainObject(value)) throw new UsageError(`--kwargs must be a JSON object, e.g. --kwargs '{"force_full_sync": true}' (got ${describeJsonType(value)})`);
  return value;
}

/**
 * Maps Celery-style positional `args` and keyword `kwargs` onto the task's argument class
 * and validates them. Python's rules apply: too many positionals, an unknown keyword, or a
 * value given both ways is an error. Values are not coerced: "5" is not a number.
 */
export function buildTaskArguments<A extends object>(task: TaskOptions<A>, args: unknown, kwargs: unknown): A {
  if (!Array.isArray(args)) throw new TaskArgumentsError(task.name, [`args must be a JSON array (got ${describeJsonType(args)})`]);
  if (!isPlainObject(kwargs)) throw new TaskArgumentsError(task.name, [`kwargs must be a JSON object (got ${describeJsonType(kwargs)})`]);

  const Arguments = task.arguments ?? (NoArguments as new () => A);
  const accepted = acceptedNames(task);
  const positional = task.positional ?? [];
  const problems: string[] = [];
  const plain: Record<string, unknown> = {};

  if (args.length > positional.length) {
    problems.push(
      positional.length === 0
        ? `takes no positional arguments, got ${args.length}`
        : `takes at most ${positional.length} positional argument(s) (${positional.join(', ')}), got ${args.length}`,
    );
  }
  args.slice(0, positional.length).forEach((value, index) => (plain[positional[index]] = value));
  for (const [key, value] of Object.entries(kwargs)) {
    if (!accepted.includes(key)) problems.push(`unexpected keyword argument "${key}"; accepted: ${accepted.join(', ') || '(none)'}`);
    else if (key in plain) problems.push(`got multiple values for argument "${key}" (positional and keyword)`);
    else plain[key] = value;
  }
  if (problems.length > 0) throw new TaskArgumentsError(task.name, problems);
  // A task without an argument class accepts nothing, which the checks above have enforced.
  if (!task.arguments) return new Arguments();

  const instance = plainToInstance(Arguments, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  if (errors.length > 0) throw new TaskArgumentsError(task.name, errors.flatMap((error) => describeError(error, plain)));
  return instance;
}

/** The argument names a task accepts, in signature order (positional first). */
export function acceptedNames(task: TaskOptions<any>): string[] {
  let names = acceptedCache.get(task);
  if (!names) {
    names = describeArguments(task).map((argument) => argument.name);
    acceptedCache.set(task, names);
  }
  return names;
}
// Argument names are looked up for every job a worker runs; the metadata never changes after boot.
const acceptedCache = new WeakMap<TaskOptions<any>, string[]>();

export interface ArgumentDescription {
  name: string;
  required: boolean;
  /** The class-validator constraint names, e.g. isInt, min. */
  rules: string[];
  default?: unknown;
}

/** Each argument of a task in signature order, as class-validator will check it: for --list-tasks and the API. */
export function describeArguments(task: TaskOptions<any>): ArgumentDescription[] {
  if (!task.arguments) return [];
  const defaults = new task.arguments() as Record<string, unknown>;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(task.arguments, '', true, false);
  const names = [...new Set([...(task.positional ?? []), ...Object.keys(defaults), ...metadata.map((m) => m.propertyName)])];
  return names.map((name) => {
    const own = metadata.filter((m) => m.propertyName === name);
    const optional = own.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION) || defaults[name] !== undefined;
    // Decorators apply bottom-up; reversed, the rules read as they are written.
    const rules = own.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map((m) => m.name ?? m.constraintCls.name).reverse();
    return { name, required: !optional, rules, ...(defaults[name] !== undefined ? { default: defaults[name] } : {}) };
  });
}

function describeError(error: ValidationError, given: Record<string, unknown>): string[] {
  const value = JSON.stringify(given[error.property]) ?? 'nothing';
  return Object.values(error.constraints ?? {}).map((message) => `${message} (got ${value})`);
}

function parseJson(raw: string, flag: string, expected: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON: ${(error as Error).message}. Expected ${expected}; quote it for your shell.`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
