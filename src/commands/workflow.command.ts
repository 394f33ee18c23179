import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { TaskFailedError, UsageError } from '../core/errors.js';
import { parseKwargsJson } from '../core/tasks/task-arguments.js';
import { WorkflowsService } from '../orchestration/workflows.service.js';
import { parseSeconds } from './option-parsers.js';
import { formatTime, printJson, printTable } from './output.js';

@SubCommand({ name: 'list', description: 'List workflows: name, id, version, enabled, cron, steps' })
class WorkflowListCommand extends CommandRunner {
  constructor(private readonly workflows: WorkflowsService) {
    super();
  }

  async run(): Promise<void> {
    printTable(
      ['NAME', 'ID', 'VERSION', 'ENABLED', 'CRON', 'STEPS'],
      (await this.workflows.list()).map((w) => [w.name, String(w.id), String(w.version), w.enabled ? 'yes' : 'no', w.cron ? `${w.cron} (${w.timezone})` : '-', w.steps.map((s) => s.id).join(' ')]),
    );
  }
}

@SubCommand({ name: 'executions', arguments: '[workflow]', description: 'List the latest executions, of one workflow when named' })
class WorkflowExecutionsCommand extends CommandRunner {
  constructor(private readonly workflows: WorkflowsService) {
    super();
  }

  async run([name]: string[], options: { limit?: number }): Promise<void> {
    const workflow = name ? await this.workflows.get(name) : undefined;
    const executions = await this.workflows.listExecutions({ workflowId: workflow?.id, limit: options.limit ?? 20 });
    printTable(
      ['EXECUTION', 'WORKFLOW', 'STATE', 'TRIGGER', 'STARTED', 'FINISHED', 'ERROR'],
      executions.map((e) => [e.id, String(e.workflowId), e.state, e.trigger, formatTime(e.startedAt), formatTime(e.finishedAt), e.error ?? '']),
    );
  }

  @Option({ flags: '--limit <n>', description: 'how many (default 20)' })
  parseLimit(value: string): number {
    const limit = Number(value);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit must be a whole number from 1 to 500 (got ${JSON.stringify(value)})`);
    return limit;
  }
}

@SubCommand({ name: 'start', arguments: '<workflow>', description: 'Start an execution of the named workflow; --wait prints its step runs when it ends' })
class WorkflowStartCommand extends CommandRunner {
  constructor(private readonly workflows: WorkflowsService) {
    super();
  }

  async run([name]: string[], options: { input?: string; wait?: boolean; timeout?: number }): Promise<void> {
    const execution = await this.workflows.start(name, parseKwargsJson(options.input), 'manual');
    process.stderr.write(`started execution ${execution.id} of "${name}"\n`);
    if (!options.wait) {
      process.stdout.write(`${execution.id}\n`);
      return;
    }
    const deadline = Date.now() + (options.timeout ?? 600) * 1000;
    for (;;) {
      const current = await this.workflows.execution(execution.id);
      if (!['pending', 'running'].includes(current.state)) {
        printJson(current);
        if (current.state !== 'succeeded') throw new TaskFailedError(`workflow ${name}`, execution.id, current.error ?? current.state);
        return;
      }
      if (Date.now() > deadline) throw new UsageError(`Execution ${execution.id} is still ${current.state} after ${options.timeout ?? 600} s; "dropflow workflow executions" shows it.`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  @Option({ flags: '--input <json>', description: 'the execution input as a JSON object, e.g. --input \'{"supplier_id": 1}\'' })
  parseInput(value: string): string {
    return value;
  }

  @Option({ flags: '--wait', description: 'wait for the execution to end and print it' })
  parseWait(): boolean {
    return true;
  }

  @Option({ flags: '--timeout <seconds>', description: 'with --wait: give up after this many seconds (default 600)' })
  parseTimeout(value: string): number {
    return parseSeconds('--timeout', value);
  }
}

@SubCommand({ name: 'load-shipped', description: 'Store the shipped workflows (Catalogue Pipeline, Daily Close) that do not exist yet' })
class WorkflowLoadShippedCommand extends CommandRunner {
  constructor(private readonly workflows: WorkflowsService) {
    super();
  }

  async run(): Promise<void> {
    const { created, kept } = await this.workflows.loadShipped();
    process.stdout.write(`created ${created.length} workflow(s)${created.length ? `: ${created.join(', ')}` : ''}\n`);
    if (kept.length) process.stdout.write(`kept ${kept.length} existing (not overwritten)\n`);
  }
}

/** Workflows from the command line: list them and their executions, start one by name, load the shipped ones. */
@Command({ name: 'workflow', description: 'List workflows and executions, start one by name, load the shipped workflows', subCommands: [WorkflowListCommand, WorkflowExecutionsCommand, WorkflowStartCommand, WorkflowLoadShippedCommand] })
export class WorkflowCommand extends CommandRunner {
  async run(): Promise<void> {
    throw new UsageError('Name a subcommand: list, executions, start or load-shipped (dropflow workflow --help).');
  }
}

export const WORKFLOW_SUBCOMMANDS = [WorkflowListCommand, WorkflowExecutionsCommand, WorkflowStartCommand, WorkflowLoadShippedCommand];
