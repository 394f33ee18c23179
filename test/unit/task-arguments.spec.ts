import { IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { TaskArgumentsError, UsageError } from '../../src/core/errors.js';
import { buildTaskArguments, describeArguments, parseArgsJson, parseKwargsJson } from '../../src/core/tasks/task-arguments.js';
import type { TaskOptions } from '../../src/core/tasks/task.decorator.js';

class SyncArguments {
  @IsInt() @Min(1)
  supplier_id!: number;

  @IsOptional() @IsBoolean()
  force_full_sync = false;

  @IsOptional() @IsString()
  note?: string;
}

const task: TaskOptions<SyncArguments> = {
  name: 'sync_supplier_products',
  queue: 'suppliers',
  description: 'test',
  arguments: SyncArguments,
  positional: ['supplier_id', 'force_full_sync'],
};

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof TaskArgumentsError) return error.problems;
    throw error;
  }
  throw new Error('expected a TaskArgumentsError');
};

describe('Celery-style arguments', () => {
  it('maps positional args and kwargs onto the argument class, with defaults', () => {
    expect(buildTaskArguments(task, [1], { force_full_sync: true })).toEqual(Object.assign(new SyncArguments(), { supplier_id: 1, force_full_sync: true }));
    const onlyPositional = buildTaskArguments(task, [7], {});
    expect(onlyPositional.supplier_id).toBe(7);
    expect(onlyPositional.force_full_sync).toBe(false);
    expect(buildTaskArguments(task, [], { supplier_id: 3, note: 'x' }).note).toBe('x');
  });

  it('rejects a wrong type instead of coercing it', () => {
    expect(problemsOf(() => buildTaskArguments(task, ['5'], {}))).toEqual(expect.arrayContaining([expect.stringContaining('supplier_id must be an integer number (got "5")')]));
    expect(problemsOf(() => buildTaskArguments(task, [1], { force_full_sync: 'yes' }))).toEqual([expect.stringContaining('force_full_sync must be a boolean value (got "yes")')]);
  });

  it('follows Python rules: too many positionals, unknown keyword, a value given twice, a missing required one', () => {
    expect(problemsOf(() => buildTaskArguments(task, [1, true, 'extra'], {}))).toEqual(['takes at most 2 positional argument(s) (supplier_id, force_full_sync), got 3']);
    expect(problemsOf(() => buildTaskArguments(task, [1], { forced: true }))).toEqual(['unexpected keyword argument "forced"; accepted: supplier_id, force_full_sync, note']);
    expect(problemsOf(() => buildTaskArguments(task, [1], { supplier_id: 2 }))).toEqual(['got multiple values for argument "supplier_id" (positional and keyword)']);
    expect(problemsOf(() => buildTaskArguments(task, [], {})).join('\n')).toContain('supplier_id must be an integer number (got nothing)');
  });

  it('rejects args that are not an array and kwargs that are not an object', () => {
    expect(problemsOf(() => buildTaskArguments(task, { a: 1 }, {}))).toEqual(['args must be a JSON array (got an object)']);
    expect(problemsOf(() => buildTaskArguments(task, [], [1]))).toEqual(['kwargs must be a JSON object (got an array)']);
  });

  it('a task without an argument class takes nothing', () => {
    const bare: TaskOptions = { name: 'system_health_check', queue: 'maintenance', description: 'x' };
    expect(buildTaskArguments(bare, [], {})).toEqual({});
    expect(problemsOf(() => buildTaskArguments(bare, [1], {}))).toEqual(['takes no positional arguments, got 1']);
    expect(problemsOf(() => buildTaskArguments(bare, [], { a: 1 }))).toEqual(['unexpected keyword argument "a"; accepted: (none)']);
  });

  it('describes the arguments in signature order with their rules and defaults', () => {
    expect(describeArguments(task)).toEqual([
      { name: 'supplier_id', required: true, rules: ['isInt', 'min'] },
      { name: 'force_full_sync', required: false, rules: ['isBoolean'], default: false },
      { name: 'note', required: false, rules: ['isString'] },
    ]);
  });
});

describe('--args / --kwargs JSON', () => {
  it('parses the Celery examples verbatim', () => {
    expect(parseArgsJson('[1]')).toEqual([1]);
    expect(parseKwargsJson('{"force_full_sync": true}')).toEqual({ force_full_sync: true });
    expect(parseArgsJson(undefined)).toEqual([]);
    expect(parseKwargsJson('')).toEqual({});
  });

  it('says what is wrong with bad JSON and with the wrong JSON type', () => {
    expect(() => parseArgsJson('[1,')).toThrow(UsageError);
    expect(() => parseArgsJson('[1,')).toThrow(/--args is not valid JSON: .*Expected a JSON array/);
    expect(() => parseArgsJson('{"a":1}')).toThrow('--args must be a JSON array, e.g. --args \'[1, true]\' (got an object)');
    expect(() => parseKwargsJson('[1]')).toThrow(/--kwargs must be a JSON object, .*\(got an array\)/);
    expect(() => parseKwargsJson('true')).toThrow(/got boolean true/);
  });
});
