import { Command, CommandRunner, Option } from 'nest-commander';
import { writeFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { MonitorSampler, type MonitorSample } from '../core/monitoring/monitor-sampler.js';
import { isQueueName, QUEUE_NAMES, type QueueName } from '../core/queues/queue-names.js';
import { parseSeconds } from './option-parsers.js';
import { printTable } from './output.js';

interface MonitorOptions {
  duration: number;
  interval: number;
  workers?: QueueName[];
  outputFile?: string;
}

/** `manage.py celery_monitor`, with the same flags. */
@Command({ name: 'monitor', description: 'Sample queues and workers every --interval for --duration: throughput, depth, active, failures, worker RSS and CPU' })
export class MonitorCommand extends CommandRunner {
  constructor(private readonly sampler: MonitorSampler) {
    super();
  }

  async run(_: string[], options: MonitorOptions): Promise<void> {
    const samples: MonitorSample[] = [];
    let stopped = false;
    let wake: (() => void) | undefined;
    // Ctrl-C ends the run early; the samples so far are still written.
    const onSignal = () => {
      stopped = true;
      wake?.();
    };
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    const end = Date.now() + options.duration * 1000;
    let since = new Date();
    try {
      while (!stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(options.interval * 1000, Math.max(end - Date.now(), 0)));
        });
        const sample = await this.sampler.sample(since, options.workers);
        since = new Date(sample.at);
        samples.push(sample);
        this.print(sample);
        if (Date.now() >= end) break;
      }
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      if (options.outputFile) {
        writeFileSync(options.outputFile, JSON.stringify({ duration: options.duration, interval: options.interval, queues: options.workers ?? QUEUE_NAMES, samples }, null, 2));
        process.stderr.write(`wrote ${samples.length} sample(s) to ${options.outputFile}\n`);
      }
    }
  }

  private print(sample: MonitorSample) {
    process.stdout.write(`\n${sample.at} (${sample.intervalSeconds}s)\n`);
    printTable(
      ['QUEUE', 'DONE/S', 'FAILED/S', 'DEPTH', 'ACTIVE', 'DELAYED', 'FAILED'],
      sample.queues.map((q) => [q.name, String(q.succeededPerSecond), String(q.failedPerSecond), String(q.depth), String(q.active), String(q.delayed), String(q.failed)]),
    );
    if (sample.workers.length) {
      printTable(
        ['WORKER', 'STATE', 'QUEUES', 'ACTIVE', 'PROCESSED', 'RSS MB', 'CPU %'],
        sample.workers.map((w) => [w.id, w.online ? 'online' : 'offline', w.queues.join(','), String(w.active), String(w.processed), String(w.rssMb), String(w.cpuPercent)]),
      );
    }
  }

  @Option({ flags: '--duration <seconds>', description: 'how long to sample (default 60)', defaultValue: 60 })
  parseDuration(value: string): number {
    return parseSeconds('--duration', value);
  }

  @Option({ flags: '--interval <seconds>', description: 'seconds between samples (default 5)', defaultValue: 5 })
  parseInterval(value: string): number {
    return parseSeconds('--interval', value);
  }

  @Option({ flags: '--workers <queues>', description: 'only workers (and queues) of these queues, e.g. --workers=suppliers,marketplaces' })
  parseWorkers(value: string): QueueName[] {
    const names = value.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = names.filter((name) => !isQueueName(name));
    if (unknown.length || names.length === 0) throw new UsageError(`--workers takes queue names (${QUEUE_NAMES.join(', ')}); unknown: ${unknown.join(', ') || '(none given)'}`);
    return names as QueueName[];
  }

  @Option({ flags: '--output-file <path>', description: 'also write every sample as JSON to this file (also when stopped with Ctrl-C)' })
  parseOutputFile(value: string): string {
    return value;
  }
}
