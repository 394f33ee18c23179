#!/usr/bin/env node
// Runs before `npm start`: starts local PostgreSQL and Redis when they are stopped, and writes
// .env from .env.example with a freshly generated ADMIN_TOKEN and CREDENTIALS_KEY, so a newcomer
// gets a secured dashboard and encrypted credentials without editing anything. An existing .env
// is kept; a CREDENTIALS_KEY is added to it when it has none.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

if (!process.env.DATABASE_URL && !process.env.REDIS_URL) {
  execFileSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
}
if (!existsSync('.env')) {
  const env = readFileSync('.env.example', 'utf8')
    .replace('# ADMIN_TOKEN=\n', `ADMIN_TOKEN=${randomBytes(24).toString('hex')}\n`)
    .replace('# CREDENTIALS_KEY=\n', `CREDENTIALS_KEY=${randomBytes(32).toString('hex')}\n`);
  writeFileSync('.env', env, { mode: 0o600 });
  process.stderr.write('prepare-local: wrote .env with a new ADMIN_TOKEN and CREDENTIALS_KEY (keep .env secret).\n');
} else if (!/^CREDENTIALS_KEY=/m.test(readFileSync('.env', 'utf8')) && !process.env.CREDENTIALS_KEY) {
  appendFileSync('.env', `\n# Added by prepare-local: encrypts supplier and marketplace credentials. Losing it loses them.\nCREDENTIALS_KEY=${randomBytes(32).toString('hex')}\n`);
  process.stderr.write('prepare-local: added a new CREDENTIALS_KEY to .env.\n');
}
