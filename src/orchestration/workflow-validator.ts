import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { TaskArgumentsError, UsageError } from '../core/errors.js';
import { assertCron } from '../core/scheduling/cron-schedule.js';
import { acceptedNames, buildTaskArguments } from '../core/tasks/task-arguments.js';
import { TaskRegistry } from '../core/tasks/task-registry.js';
import { flattenValidationErrors } from '../core/validation.js';
import { referenceProblem, referencesIn } from './references.js';
import { StepDefinition, WorkflowDefinitionDto } from './workflow-definition.js';

export class WorkflowValidationError extends UsageError {
  constructor(readonly workflow: string, readonly problems: string[]) {
    super(`Workflow "${workflow}" is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Checks a workflow definition before it is saved or run: step shape, registered tasks, known and
 * acyclic dependencies, references to the input or to steps it depends on, and the arguments
 * (fully where they hold no references; names and counts where they do). Every problem names its step.
 */
@Injectable()
export class WorkflowValidator {
  constructor(private readonly registry: TaskRegistry) {}

  /** Parses and validates; throws WorkflowValidationError listing every problem. */
  parse(raw: unknown, options: { allowUnregisteredTasks?: boolean } = {}): WorkflowDefinitionDto {
    const definition = plainToInstance(WorkflowDefinitionDto, raw);
    const shape = validateSync(definition, { whitelist: true, forbidNonWhitelisted: true });
    const name = typeof (raw as { name?: unknown })?.name === 'string' ? (raw as { name: string }).name : '(unnamed)';
    if (shape.length > 0) throw new WorkflowValidationError(name, flattenValidationErrors(shape));
    const problems = this.problems(definition.steps, options);
    if (definition.cron) {
      try {
        assertCron(definition.cron);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (problems.length > 0) throw new WorkflowValidationError(name, problems);
    return definition;
  }

  /** The problems of a list of steps; empty when it can run. */
  problems(steps: StepDefinition[], options: { allowUnregisteredTasks?: boolean } = {}): string[] {
    const problems: string[] = [];
    if (steps.length === 0) problems.push('a workflow needs at least one step');
    const ids = new Set<string>();
    for (const step of steps) {
      if (ids.has(step.id)) problems.push(`step "${step.id}": the id is used twice`);
      ids.add(step.id);
    }
    const byId = new Map(steps.map((step) => [step.id, step]));
    for (const step of steps) {
      const where = `step "${step.id}"`;
      for (const dependency of step.depends_on ?? []) {
        if (!byId.has(dependency)) problems.push(`${where}: depends on "${dependency}", which is not a step of this workflow`);
        if (dependency === step.id) problems.push(`${where}: depends on itself`);
      }
      if (!this.registry.has(step.task)) {
        if (!options.allowUnregisteredTasks) problems.push(`${where}: unknown task "${step.task}" (see dropflow run-task --list-tasks)`);
        continue;
      }
      const ancestors = this.ancestors(step, byId);
      const references = referencesIn([step.args ?? [], step.kwargs ?? {}]);
      for (const path of references) {
        const problem = referenceProblem(path);
        if (problem) problems.push(`${where}: ${problem}`);
        else if (path.startsWith('steps.')) {
          const target = path.split('.')[1];
          if (!byId.has(target)) problems.push(`${where}: "{{ ${path} }}" refers to step "${target}", which does not exist`);
          else if (!ancestors.has(target)) problems.push(`${where}: "{{ ${path} }}" refers to step "${target}", which it does not depend on (add it to depends_on)`);
        }
      }
      problems.push(...this.argumentProblems(step, references.length > 0).map((p) => `${where}: ${p}`));
    }
    const cycle = findCycle(steps);
    if (cycle) problems.push(`the steps depend on each other in a cycle: ${cycle.join(' -> ')}`);
    return problems;
  }

  private argumentProblems(step: StepDefinition, hasReferences: boolean): string[] {
    const task = this.registry.get(step.task).options;
    if (!hasReferences) {
      try {
        buildTaskArguments(task, step.args ?? [], step.kwargs ?? {});
        return [];
      } catch (error) {
        return error instanceof TaskArgumentsError ? error.problems : [(error as Error).message];
      }
    }
    // Referenced values are only known at run time: check what can be checked now.
    const accepted = acceptedNames(task);
    const problems = Object.keys(step.kwargs ?? {}).filter((key) => !accepted.includes(key)).map((key) => `unexpected keyword argument "${key}" for ${step.task}; accepted: ${accepted.join(', ') || '(none)'}`);
    const positional = task.positional ?? [];
    if ((step.args ?? []).length > positional.length) problems.push(`${step.task} takes at most ${positional.length} positional argument(s), got ${(step.args ?? []).length}`);
    return problems;
  }

  private ancestors(step: StepDefinition, byId: Map<string, StepDefinition>): Set<string> {
    const seen = new Set<string>();
    const stack = [...(step.depends_on ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id) || !byId.has(id)) continue;
      seen.add(id);
      stack.push(...(byId.get(id)!.depends_on ?? []));
    }
    return seen;
  }
}

function findCycle(steps: StepDefinition[]): string[] | null {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done' || !byId.has(id)) return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dependency of byId.get(id)!.depends_on ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle.reverse();
  }
  return null;
}
