import { Command, CommandRunner, Option } from 'nest-commander';
import { ServiceUnavailableError } from '../core/errors.js';
import { StatusService, type StatusReport } from '../core/monitoring/status.service.js';
import { parseFormat, type OutputFormat } from './option-parsers.js';
import { printJson, printTable } from './output.js';

interface StatusOptions {
  format?: OutputFormat;
  detailed?: boolean;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** `manage.py celery_status`, with the same flags. */
@Command({ name: 'status', description: 'Broker and database reachability, queue counts, workers, scheduler and next runs; exits non-zero when the broker is down or no worker is online' })
export class StatusCommand extends CommandRunner {
  constructor(private readonly status: StatusService) {
    super();
  }

  async run(_: string[], options: StatusOptions): Promise<void> {
    const report = await this.status.collect(options.detailed ?? false);
    if (options.format === 'json') printJson(report);
    else this.printText(report, options.detailed ?? false);
    if (report.problems.length > 0) throw new ServiceUnavailableError(report.problems.join('; '));
  }

  private printText(report: StatusReport, detailed: boolean) {
    const out = (line = '') => process.stdout.write(`${line}\n`);
    out(`broker    ${report.broker.reachable ? `ok (${report.broker.latencyMs} ms)` : `UNREACHABLE: ${report.broker.error}`}  ${report.broker.url}`);
    out(`database  ${report.database.reachable ? `ok (${report.database.latencyMs} ms)` : `UNREACHABLE: ${report.database.error}`}`);
    out(`scheduler ${report.scheduler.alive ? `alive (${report.scheduler.processes.join(', ')})` : 'not running'}`);
    out(`workers   ${report.workers.online} online, ${report.workers.offline} offline`);
    out();
    if (report.queues.length) {
      printTable(
        ['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'FAILED', 'COMPLETED', 'PAUSED'],
        report.queues.map((q) => [q.name, String(q.waiting), String(q.active), String(q.delayed), String(q.failed), String(q.completed), q.paused ? 'yes' : 'no']),
      );
      out();
    }
    if (report.workers.processes.length) {
      printTable(
        ['WORKER', 'STATE', 'QUEUES', 'ACTIVE', 'PROCESSED', 'FAILED', 'UPTIME', 'RSS', 'CPU', ...(detailed ? ['LAG', 'VERSION'] : [])],
        report.workers.processes.map((w) => [
          w.id,
          w.online ? 'online' : `offline ${w.lastSeenSecondsAgo}s`,
          w.queues.map((q) => `${q}(${w.concurrency[q]})`).join(','),
          String(w.active),
          String(w.processed),
          String(w.failed),
          `${w.uptimeSeconds}s`,
          mb(w.rssBytes),
          `${w.cpuPercent}%`,
          ...(detailed ? [`${w.eventLoopLagMs} ms`, w.version] : []),
        ]),
      );
      out();
    }
    if (report.nextRuns.length) {
      out('next runs');
      for (const run of report.nextRuns) out(`  ${run.nextRunAt}  ${run.name} (${run.task})`);
      out();
    }
    if (detailed) {
      for (const queue of report.queues.filter((q) => q.recentFailures?.length)) {
        out(`recent failures on ${queue.name}`);
        for (const failure of queue.recentFailures!) out(`  ${failure.failedAt ?? '-'}  ${failure.task}  ${failure.id}  ${failure.error}`);
        out();
      }
      if (report.schedules?.length) {
        printTable(
          ['SCHEDULE', 'TASK', 'CRON', 'ENABLED', 'LAST RUN', 'NEXT RUN', 'RUNS'],
          report.schedules.map((s) => [s.name, s.task, `${s.cron} (${s.timezone})`, s.enabled ? 'yes' : 'no', s.lastRunAt ?? '-', s.nextRunAt ?? '-', String(s.totalRunCount)]),
        );
      }
    }
  }

  @Option({ flags: '--format <format>', description: 'text (default) or json: one JSON document', defaultValue: 'text' })
  parseFormat(value: string): OutputFormat {
    return parseFormat(value);
  }

  @Option({ flags: '--detailed', description: 'add per-worker stats, recent failures per queue, and the schedules' })
  parseDetailed(): boolean {
    return true;
  }
}
