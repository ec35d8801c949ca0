// The bench's side of loop-monitor.mjs: the environment that preloads it into the server, and a mark
// at each window edge that returns what the server's main thread did since the previous mark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../lib/app';

export interface LoopStats {
  windowMs: number;
  /** Event-loop delay (monitorEventLoopDelay, 5 ms resolution): how late a timer ran. */
  delayMs: { p50: number; p99: number; max: number };
  /**
   * Garbage-collection pauses in the window; `full` of them mark-compact; `oldGrowthMb` is how much
   * old space grew between GCs (promotion plus direct old allocation), which full GCs then collect.
   */
  gc: { count: number; totalMs: number; maxMs: number; full: number; oldGrowthMb: number };
}

export interface LoopMonitor {
  /** For startServer: preloads the monitor. */
  env: Record<string, string>;
  /**
   * Signals the server at once (synchronously, so a mark sits exactly on a window edge) and resolves
   * with its stats since the previous mark; null if it has not answered within 5 s.
   */
  mark(pid: number): Promise<LoopStats | null>;
  close(): void;
}

const PRELOAD = fileURLToPath(new URL('./loop-monitor.mjs', import.meta.url));

export function loopMonitor(): LoopMonitor {
  const file = path.join(os.tmpdir(), `cueframe-loop-${process.pid}-${Date.now()}.jsonl`);
  const lines = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  let sent = 0;
  return {
    env: { NODE_OPTIONS: `--import ${PRELOAD}`, CUEFRAME_LOOP_MONITOR_OUT: file },
    async mark(pid) {
      const n = ++sent; // the server answers signals in order: this mark's answer is line n
      process.kill(pid, 'SIGUSR2');
      for (let waited = 0; waited < 5_000; waited += 10) {
        const all = lines();
        if (all.length >= n) return JSON.parse(all[n - 1]!) as LoopStats;
        await sleep(10); // the server answers on its next event-loop turn, late under load
      }
      return null;
    },
    close: () => fs.rmSync(file, { force: true }),
  };
}
