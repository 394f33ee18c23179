import { Inject, Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Min } from 'class-validator';
import { readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config.js';
import { Task, type TaskHandler } from '../tasks/task.decorator.js';

export class CleanupSystemLogsArguments {
  /** Files not written for this many days go; LOG_RETENTION_DAYS when omitted. */
  @IsOptional() @IsInt() @Min(0)
  days?: number;

  /** Cap on the log directory's size; LOG_MAX_TOTAL_MB when omitted. */
  @IsOptional() @IsInt() @Min(1)
  max_total_mb?: number;
}

interface LogFile {
  name: string;
  bytes: number;
  modified: number;
  /** A live log (`<name>.log`) is being appended to: it is truncated, never deleted. Anything else is a rotated copy. */
  live: boolean;
}

@Injectable()
@Task({
  name: 'cleanup_system_logs',
  queue: 'maintenance',
  description: 'Delete rotated log files past retention, then trim the log directory to its size cap',
  arguments: CleanupSystemLogsArguments,
  positional: ['days', 'max_total_mb'],
})
export class CleanupSystemLogsTask implements TaskHandler<CleanupSystemLogsArguments> {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async run({ days = this.config.logging.retentionDays, max_total_mb }: CleanupSystemLogsArguments) {
    const dir = this.config.logging.dir;
    const maxBytes = max_total_mb ? max_total_mb * 1024 * 1024 : this.config.logging.maxTotalBytes;
    const cutoff = Date.now() - days * 24 * 60 * 60 * 1000;
    const files = await this.list(dir);
    const removed: string[] = [];
    const truncated: string[] = [];
    let freed = 0;

    const drop = async (file: LogFile) => {
      if (file.live) {
        await truncate(join(dir, file.name), 0);
        truncated.push(file.name);
      } else {
        await rm(join(dir, file.name), { force: true });
        removed.push(file.name);
      }
      freed += file.bytes;
      file.bytes = 0;
    };

    for (const file of files.filter((f) => f.modified < cutoff && f.bytes > 0)) await drop(file);

    // Over the cap: oldest rotated copies first, then the largest live logs.
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    const overflow = [
      ...files.filter((f) => !f.live && f.bytes > 0).sort((a, b) => a.modified - b.modified),
      ...files.filter((f) => f.live && f.bytes > 0).sort((a, b) => b.bytes - a.bytes),
    ];
    for (const file of overflow) {
      if (total <= maxBytes) break;
      total -= file.bytes;
      await drop(file);
    }

    return { dir, retentionDays: days, maxTotalBytes: maxBytes, removed, truncated, freedBytes: freed, remainingBytes: total, filesSeen: files.length };
  }

  private async list(dir: string): Promise<LogFile[]> {
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const files = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(dir, name));
        return info.isFile() ? { name, bytes: info.size, modified: info.mtimeMs, live: /^[\w-]+\.log$/.test(name) } : null;
      }),
    );
    return files.filter((file): file is LogFile => file !== null);
  }
}
