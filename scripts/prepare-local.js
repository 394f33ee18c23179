#!/usr/bin/env node
// Runs before `npm start`: starts local PostgreSQL and Redis when they are stopped, and on the
// first run writes .env from .env.example with a freshly generated ADMIN_TOKEN, so a newcomer
// gets a secured dashboard without editing anything.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

if (!process.env.DATABASE_URL && !process.env.REDIS_URL) {
  execFileSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
}
if (!existsSync('.env')) {
  const token = randomBytes(24).toString('hex');
  writeFileSync('.env', readFileSync('.env.example', 'utf8').replace('# ADMIN_TOKEN=\n', `ADMIN_TOKEN=${token}\n`), { mode: 0o600 });
  process.stderr.write('prepare-local: wrote .env with a new ADMIN_TOKEN (see .env; keep it secret).\n');
}
