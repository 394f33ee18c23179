import { Command, CommandRunner, Option } from 'nest-commander';
import { UsageError } from '../core/errors.js';
import { parseArgsJson, parseKwargsJson } from '../core/tasks/task-arguments.js';
import { TaskRegistry } from '../core/tasks/task-registry.js';
import { TaskRunner } from '../core/tasks/task-runner.js';
import { parseSeconds } from './option-parsers.js';
import { printJson, printTable } from './output.js';

interface RunTaskOptions {
  async?: boolean;
  wait?: boolean;
  args?: string;
  kwargs?: string;
  listTasks?: boolean;
  timeout?: number;
}

/** `manage.py run_task` of the Celery installation, with the same flags. */
@Command({
  name: 'run-task',
  arguments: '[task]',
  description: 'Run a task now in this process, or enqueue it with --async',
})
export class RunTaskCommand extends CommandRunner {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly runner: TaskRunner,
  ) {
    super();
  }

  async run([task]: string[], options: RunTaskOptions): Promise<void> {
    if (options.listTasks) return this.listTasks();
    if (!task) throw new UsageError('Name a task to run, e.g. "dropflow run-task system_health_check", or list them with --list-tasks.');
    if (options.wait && !options.async) throw new UsageError('--wait goes with --async: without --async the task already runs to completion here.');
    const request = { task, args: parseArgsJson(options.args), kwargs: parseKwargsJson(options.kwargs) };

    if (!options.async) {
      const { runId, result } = await this.runner.runNow(request);
      process.stderr.write(`run ${runId} succeeded\n`);
      printJson(result);
      return;
    }

    const { runId, queue } = await this.runner.enqueue(request);
    if (!options.wait) {
      process.stdout.write(`${runId}\n`);
      process.stderr.write(`enqueued ${task} on the ${queue} queue as run ${runId}\n`);
      return;
    }
    process.stderr.write(`enqueued ${task} on the ${queue} queue as run ${runId}; waiting for a worker\n`);
    const result = await this.runner.waitFor(runId, (options.timeout ?? 300) * 1000);
    process.stderr.write(`run ${runId} succeeded\n`);
    printJson(result);
  }

  private listTasks() {
    const tasks = this.registry.list();
    printTable(
      ['TASK', 'QUEUE', 'ARGUMENTS', 'DESCRIPTION'],
      tasks.map((t) => [
        t.name,
        t.queue,
        t.arguments.map((a) => `${a.name}${a.required ? '' : `=${a.default === undefined ? 'None' : JSON.stringify(a.default)}`}`).join(', ') || '-',
        t.description,
      ]),
    );
    process.stderr.write(`${tasks.length} tasks. Positional --args follow the order shown; --kwargs take the names.\n`);
  }

  @Option({ flags: '--async', description: 'enqueue to the task\'s queue instead of running here; prints the run id' })
  parseAsync(): boolean {
    return true;
  }

  @Option({ flags: '--wait', description: 'with --async: wait for a worker to finish the run and print its result' })
  parseWait(): boolean {
    return true;
  }

  @Option({ flags: '--args <json>', description: 'positional arguments as a JSON array, e.g. --args "[1]"' })
  parseArgs(value: string): string {
    return value;
  }

  @Option({ flags: '--kwargs <json>', description: 'keyword arguments as a JSON object, e.g. --kwargs \'{"force_full_sync": true}\'' })
  parseKwargs(value: string): string {
    return value;
  }

  @Option({ flags: '--list-tasks', description: 'list every registered task with its queue, arguments and description' })
  parseListTasks(): boolean {
    return true;
  }

  @Option({ flags: '--timeout <seconds>', description: 'with --wait: give up after this many seconds (default 300)' })
  parseTimeout(value: string): number {
    return parseSeconds('--timeout', value);
  }
}
