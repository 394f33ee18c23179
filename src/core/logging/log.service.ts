import { Injectable, type LoggerService, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { PINO_REDACT_PATHS } from './redact.js';

export interface LogOptions {
  level: string;
  dir: string;
  /** The file (without .log) that framework and role messages go to, e.g. "api", "scheduler", "maintenance". */
  roleFile?: string;
  /** Where the console copy goes: stdout for servers, stderr for the CLI so its stdout stays the command's output. */
  console: 'stdout' | 'stderr';
  /** The console's own threshold when it should be quieter than the files (the CLI shows warnings only). */
  consoleLevel?: string;
}

/**
 * JSON lines through pino, to the console and to files under the log directory:
 * `<role>.log` for the process's own messages and `<queue>.log` for each queue's task lines
 * (the file names of the Celery installation: celery_<queue>.log became <queue>.log).
 * Also the Nest logger, so framework messages land in the same place.
 */
@Injectable()
export class LogService implements LoggerService, OnApplicationShutdown {
  readonly root: Logger;
  private readonly files = new Map<string, ReturnType<typeof pino.destination>>();
  private readonly children = new Map<string, Logger>();
  private readonly console: DestinationStream;

  constructor(private readonly options: LogOptions) {
    this.console = pino.destination({ fd: options.console === 'stdout' ? 1 : 2, sync: options.console === 'stderr' });
    this.root = this.build(options.roleFile);
  }

  /** The logger whose lines go to `<name>.log` besides the console. */
  forFile(name: string): Logger {
    let logger = this.children.get(name);
    if (!logger) {
      logger = this.build(name);
      this.children.set(name, logger);
    }
    return logger;
  }

  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.root.error({ context, stack: trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }

  onApplicationShutdown() {
    for (const stream of this.files.values()) stream.flushSync();
  }

  private write(level: pino.Level, message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) this.root[level]({ context, ...message });
    else this.root[level]({ context }, String(message));
  }

  private build(fileName?: string): Logger {
    const streams: pino.StreamEntry[] = [{ level: (this.options.consoleLevel ?? 'trace') as pino.Level, stream: this.console }];
    if (fileName) streams.push({ level: 'trace', stream: this.file(fileName) });
    return pino(
      { level: this.options.level, base: { pid: process.pid, ...(fileName ? { log: fileName } : {}) }, redact: { paths: PINO_REDACT_PATHS, censor: '[redacted]' } },
      pino.multistream(streams),
    );
  }

  private file(name: string) {
    let stream = this.files.get(name);
    if (!stream) {
      mkdirSync(this.options.dir, { recursive: true });
      // Opened here, synchronously: a destination still opening cannot be flushed, and pino
      // flushes every destination when the process exits (a CLI may exit right after starting).
      stream = pino.destination({ fd: openSync(join(this.options.dir, `${name}.log`), 'a'), sync: false });
      this.files.set(name, stream);
    }
    return stream;
  }
}
