import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = resolve(ROOT, 'bin', 'dropflow');
export const MAIN = resolve(ROOT, 'dist', 'main.js');
/** dist/main.js plus a slow test task (wf_sleep). */
export const TEST_WORKER = resolve(ROOT, 'test', 'support', 'test-worker.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dropflow ARGS` as a user would, in the test's environment. */
export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: cwd ?? ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Starts `dropflow ARGS` and returns at once, for commands that run a while (monitor). */
export function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: ROOT });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
  return { child, stdout: () => stdout, exited };
}

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  /** Where it listens, from its "api listening" line (empty when it serves no HTTP). */
  url: string;
  /** SIGTERM, then waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node dist/main.js` with the given environment and waits until it says it started. */
export async function startServer(env: Record<string, string>, cwd?: string, timeoutMs = 20000, entry = MAIN): Promise<ServerProcess> {
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, cwd: cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('"Dropflow started"')) {
        clearTimeout(timer);
        resolvePromise();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    url: (/"url":"([^"]+)"/.exec(output)?.[1] ?? '').replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1'),
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
