// Small process helpers shared by the deploy check's steps.
import { spawn, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and collects its output (for short commands with small output). */
export function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command with stdout and stderr both appended to one log file, as a terminal would interleave them. */
export function runLogged(cmd: string, args: string[], logFile: string, opts: SpawnOptions = {}): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => out.end(() => resolve(code)));
  });
}

export const MiB = 1024 * 1024;

export function mb(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}
