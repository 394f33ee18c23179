import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ServiceUnavailableError } from '../core/errors.js';
import { redactUrl } from '../core/logging/redact.js';
import { dataSourceOptions } from './data-source-options.js';

/** Any fixed number, the same in every Dropflow process: it names the advisory lock migrations take. */
const MIGRATION_LOCK = 74_210_001;

/** Creates the database named in the URL when it does not exist yet, so a fresh machine needs no manual step. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new ServiceUnavailableError(`DATABASE_URL ${redactUrl(url)} names no database; add one, e.g. /dropflow`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new ServiceUnavailableError(`Cannot reach PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}. Is it running? (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)`);
  }
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created by a process that started at the same moment
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations under a Postgres advisory lock, so several processes starting at
 * once (api, scheduler, six workers) migrate exactly once. Returns the names applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = new DataSource(dataSourceOptions(url, 1));
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}
