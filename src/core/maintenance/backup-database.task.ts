import { Inject, Injectable } from '@nestjs/common';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config.js';
import { Task, type TaskHandler } from '../tasks/task.decorator.js';
import { runProgram } from './run-program.js';

export class BackupDatabaseArguments {
  /** How many backups to keep, newest first; BACKUP_KEEP when omitted. */
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  keep?: number;
}

const INSTALL = 'Install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or point PG_DUMP_PATH / PG_RESTORE_PATH at them.';

@Injectable()
@Task({
  name: 'backup_database',
  queue: 'maintenance',
  description: 'pg_dump the database (custom format) into BACKUP_DIR, verify it with pg_restore --list, keep the newest N',
  arguments: BackupDatabaseArguments,
  positional: ['keep'],
  attempts: 2,
})
export class BackupDatabaseTask implements TaskHandler<BackupDatabaseArguments> {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async run({ keep = this.config.backup.keep }: BackupDatabaseArguments) {
    const { dir, pgDumpPath, pgRestorePath } = this.config.backup;
    const url = new URL(this.config.database.url);
    const database = decodeURIComponent(url.pathname.slice(1));
    // Connection details go through libpq's environment, so the password never shows in a process list.
    const env = {
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username) || process.env.USER || 'postgres',
      PGPASSWORD: decodeURIComponent(url.password),
      PGDATABASE: database,
      ...Object.fromEntries(url.searchParams.has('sslmode') ? [['PGSSLMODE', url.searchParams.get('sslmode')!]] : []),
    };

    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', ''); // 20261125T070000123Z: sorts by time, unique per ms
    const path = join(dir, `${database}-${stamp}.dump`);
    const partial = `${path}.partial`;
    const started = Date.now();
    try {
      await runProgram(pgDumpPath, ['--format=custom', '--no-password', `--file=${partial}`], { env, install: INSTALL });
      const listing = await runProgram(pgRestorePath, ['--list', partial], { install: INSTALL });
      const entries = listing.stdout.split('\n').filter((line) => line.trim() && !line.startsWith(';')).length;
      if (entries === 0) throw new Error(`pg_restore --list found no entries in ${partial}; the dump is not usable`);
      await rename(partial, path);
      const { size } = await stat(path);
      const removed = await this.prune(dir, database, keep);
      return { path, sizeBytes: size, entries, durationMs: Date.now() - started, verified: true, kept: keep, removed };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** Deletes this database's backups beyond the newest `keep` (names sort by time). */
  private async prune(dir: string, database: string, keep: number): Promise<string[]> {
    const pattern = new RegExp(`^${database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{8}T\\d{9}Z\\.dump$`);
    const backups = (await readdir(dir)).filter((name) => pattern.test(name)).sort().reverse();
    const removed = backups.slice(keep);
    await Promise.all(removed.map((name) => rm(join(dir, name), { force: true })));
    return removed;
  }
}
