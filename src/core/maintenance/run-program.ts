import { spawn } from 'node:child_process';
import { MissingDependencyError } from '../errors.js';

export interface ProgramResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a local program to completion. A missing program is a MissingDependencyError naming how
 * to get it; a non-zero exit is an Error carrying the program's own complaint.
 */
export function runProgram(program: string, args: string[], options: { env?: NodeJS.ProcessEnv; install: string }): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new MissingDependencyError(`${program} was not found on this machine. ${options.install}`));
      else reject(error);
    });
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
      if (code === 0) resolve(result);
      else reject(new Error(`${program} exited with code ${code}: ${result.stderr.trim() || result.stdout.trim()}`));
    });
  });
}
