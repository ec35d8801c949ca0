// bench/http/loop-monitor.mjs, preloaded into a real Node process: each SIGUSR2 must report the window
// since the previous one, with full GCs counted and old-space growth measured, then start over.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const PRELOAD = path.resolve('bench/http/loop-monitor.mjs');

// Keeps ~32 MB across many minor GCs, so it is promoted, then runs one full GC; says "ready" after
// each phase and waits for the next line on stdin.
const CHILD = `
const kept = [];
const phase = async () => {
  for (let i = 0; i < 4000; i++) {
    kept.push(new Array(1000).fill(1.5));
    if (i % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  globalThis.gc();
  await new Promise((r) => setImmediate(r));
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', async (d) => {
  if (d.includes('retain')) await phase();
  process.stdout.write('ready\\n');
});
process.stdout.write('ready\\n');
`;

let child: ChildProcess | undefined;
afterEach(() => child?.kill());

describe('loop monitor', () => {
  it('reports full GCs and old-space growth per window, and starts each window over', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cueframe-loop-')), 'loop.jsonl');
    child = spawn(process.execPath, ['--expose-gc', '--import', PRELOAD, '-e', CHILD], {
      env: { ...process.env, NODE_OPTIONS: '', CUEFRAME_LOOP_MONITOR_OUT: out },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const ready: Array<() => void> = [];
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const n = d.match(/ready/g)?.length ?? 0;
      for (let i = 0; i < n; i++) ready.shift()?.();
    });
    const nextReady = () => new Promise<void>((r) => ready.push(r));
    const lines = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean) : []);
    const mark = async (n: number) => {
      process.kill(child!.pid!, 'SIGUSR2');
      // The monitor answers on the child's next event-loop turn.
      await expect.poll(() => lines().length, { timeout: 5_000, interval: 10 }).toBe(n);
      return JSON.parse(lines()[n - 1]!) as { gc: { count: number; full: number; oldGrowthMb: number } };
    };

    await nextReady();
    await mark(1);
    const retained = nextReady();
    child.stdin!.write('retain\n');
    await retained;
    const busy = await mark(2);
    expect(busy.gc.full).toBeGreaterThanOrEqual(1);
    expect(busy.gc.count).toBeGreaterThan(busy.gc.full);
    expect(busy.gc.oldGrowthMb).toBeGreaterThan(20);

    const idle = nextReady();
    child.stdin!.write('idle\n');
    await idle;
    const quiet = await mark(3);
    expect(quiet.gc.full).toBe(0);
    expect(quiet.gc.oldGrowthMb).toBeLessThan(1);
  });
});
