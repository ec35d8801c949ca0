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

  it('writes the MP4 to --out, creating parent directories, and refuses to overwrite it without --force', async () => {
    const out = path.join(dataDir, 'out', 'nested', 'airplanes.mp4');
    const r = await run(['Paper airplanes', '--scenes', '1', '--aspect', '1:1', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Done: ${out}`);
    const p = await probe(out);
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ width: 720, height: 720 });
    expect(await fs.readdir(path.dirname(out))).toEqual(['airplanes.mp4']); // no partial left behind

    const before = await fs.stat(out);
    const again = await run(['Paper airplanes', '--scenes', '1', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${out} already exists; pass --force to overwrite it.`);
    expect(again.stdout).not.toMatch(/%/); // refused before any rendering started
    expect((await fs.stat(out)).mtimeMs).toBe(before.mtimeMs);
  });

  it.each([['--help'], ['-h'], ['Paper airplanes', '--help']])('prints usage for %s and exits 0', async (...args) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: npm run generate -- "topic" \[options\]/);
    for (const option of ['--scenes N', '--aspect RATIO', '--resolution RES', '--description TEXT', '--provider NAME',
      '--motion NAME', '--voice NAME', '--captions', '--out FILE', '--force', '--server URL', '--token TOKEN', '-h, --help']) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toContain('(default: 4)');
    expect(r.stdout).toContain('(default: 16:9)');
    expect(r.stdout).toContain('(default: 720p)');
    expect(r.stdout).toContain('(default: $CUEFRAME_TOKEN)');
    expect(r.stdout).toContain('Examples:');
  });

  it.each([
    [['Paper airplanes', '--bogus'], "Unknown option '--bogus'"],
    [['Paper airplanes', '-x'], "Unknown option '-x'"],
    [['Paper airplanes', '--scenes'], "Option '--scenes <value>' argument missing"],
    [['Paper airplanes', '--force'], '--force only applies with --out FILE.'],
    [['Paper airplanes', '--token', 'cf_x'], '--token only applies with --server URL.'],
    [['Paper airplanes', '--server', 'localhost:3000'], "--server needs an http or https URL, e.g. https://cueframe.example (got 'localhost:3000')."],
  ])('refuses %j with a one-line error, the usage and exit code 2', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: /);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Usage: npm run generate');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects bad arguments with a clear message and exit code 2', async () => {
    const r = await run(['Paper airplanes', '--aspect', '2:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/aspectRatio/);
  });
});
