// The CLI drives the same pipeline end to end on embedded defaults in its own DATA_DIR.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probe } from '@/lib/media/probe';

const dataDir = path.join(os.tmpdir(), `cueframe-cli-${process.pid}`);
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', ...args], {
      // Embedded defaults even if the developer's shell names a database server.
      env: { ...process.env, DATABASE_URL: '', POSTGRES_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run generate', () => {
  it('renders a video with progress lines and prints where the MP4 is', async () => {
    const r = await run(['Paper airplanes', '--scenes', '1', '--aspect', '9:16']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[█+\] 100%\s+Done/);
    const where = /Done: (.+\.mp4)/.exec(r.stdout)?.[1];
    expect(where).toBeDefined();
    const p = await probe(where!);
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ width: 720, height: 1280 });
  });

  it('rejects bad arguments with a clear message and exit code 2', async () => {
    const r = await run(['Paper airplanes', '--aspect', '2:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/aspectRatio/);
  });
});
