import { Command, CommandRunner, Option } from 'nest-commander';
import { UsageError } from '../core/errors.js';
import { PeriodicTasksService } from '../core/scheduling/periodic-tasks.service.js';
import { formatTime, printTable } from './output.js';

interface SetupBeatOptions {
  list?: boolean;
  reset?: boolean;
  enableAll?: boolean;
  disableAll?: boolean;
}

/** `manage.py setup_celery_beat`, with the same flags. */
@Command({ name: 'setup-beat', description: 'Create the default periodic tasks (never overwriting edited ones), or list, reset, enable or disable them' })
export class SetupBeatCommand extends CommandRunner {
  constructor(private readonly periodic: PeriodicTasksService) {
    super();
  }

  async run(_: string[], options: SetupBeatOptions): Promise<void> {
    if (options.enableAll && options.disableAll) throw new UsageError('--enable-all and --disable-all contradict each other; give one.');
    if (options.reset) {
      const created = await this.periodic.resetDefaults();
      process.stdout.write(`reset: recreated ${created.length} default periodic tasks\n`);
    } else if (!options.list && !options.enableAll && !options.disableAll) {
      const { created, kept } = await this.periodic.createDefaults();
      process.stdout.write(`created ${created.length} periodic task(s)${created.length ? `: ${created.join(', ')}` : ''}\n`);
      if (kept.length) process.stdout.write(`kept ${kept.length} existing (not overwritten)\n`);
    }
    if (options.enableAll) process.stdout.write(`enabled ${await this.periodic.setAllEnabled(true)} periodic task(s)\n`);
    if (options.disableAll) process.stdout.write(`disabled ${await this.periodic.setAllEnabled(false)} periodic task(s)\n`);
    if (options.list) this.list(await this.periodic.list());
  }

  private list(tasks: Awaited<ReturnType<PeriodicTasksService['list']>>) {
    printTable(
      ['NAME', 'TASK', 'SCHEDULE', 'ENABLED', 'LAST RUN', 'NEXT RUN', 'RUNS'],
      tasks.map((t) => [t.name, t.task, `${t.cron} (${t.timezone})`, t.enabled ? 'yes' : 'no', formatTime(t.lastRunAt), formatTime(t.nextRunAt), String(t.totalRunCount)]),
    );
  }

  @Option({ flags: '--list', description: 'print the periodic tasks: name, task, schedule, enabled, last run, next run, runs' })
  parseList(): boolean {
    return true;
  }

  @Option({ flags: '--reset', description: 'delete the default periodic tasks and create them afresh' })
  parseReset(): boolean {
    return true;
  }

  @Option({ flags: '--enable-all', description: 'enable every periodic task' })
  parseEnableAll(): boolean {
    return true;
  }

  @Option({ flags: '--disable-all', description: 'disable every periodic task' })
  parseDisableAll(): boolean {
    return true;
  }
}
