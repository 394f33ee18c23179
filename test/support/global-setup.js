import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Tests talk to the real PostgreSQL and Redis; start them when this machine has them stopped. */
export default function globalSetup() {
  execFileSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
  if (!existsSync('dist/main.js')) throw new Error('dist/ is missing: run "npm test" (it builds first) or "npm run build".');
}
