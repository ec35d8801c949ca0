// What the numbers were measured on, and how busy it was. The bench machine may be shared (test suites,
// renders), so each bench waits, for a bounded time, for the CPUs to go mostly idle before a run and
// records the load it actually saw.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { adminQuery } from './db';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memTotalGiB: number;
  node: string;
  postgres: string;
  platform: string;
  gitCommit: string;
  gitDirty: boolean;
}

function sh(cmd: string): string {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const [pgRow] = await adminQuery<{ server_version: string }>('show server_version');
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model?.trim() || sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2") || 'unknown',
    memTotalGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: pgRow?.server_version ?? 'unknown',
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    // Read-only git queries: which code the numbers belong to.
    gitCommit: sh('git rev-parse --short HEAD') || 'unknown',
    gitDirty: sh('git --no-optional-locks status --porcelain -- lib db') !== '',
  };
}

export function machineLine(m: MachineInfo): string {
  return `${m.nproc} CPUs (${m.cpuModel}), ${m.memTotalGiB} GiB RAM, Node ${m.node}, PostgreSQL ${m.postgres}, ` +
    `${m.platform}; code at ${m.gitCommit}${m.gitDirty ? ' with uncommitted lib/ or db/ changes' : ''}`;
}

export interface CpuSnapshot {
  idle: number;
  total: number;
}

/** System-wide CPU time counters; idleSince() turns two of them into an idle fraction. */
export function cpuTotals(): CpuSnapshot {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.idle + c.times.user + c.times.nice + c.times.sys + c.times.irq;
  }
  return { idle, total };
}

export function idleSince(a: CpuSnapshot): number {
  const b = cpuTotals();
  return b.total > a.total ? (b.idle - a.idle) / (b.total - a.total) : 1;
}

/** Fraction of all CPUs idle over the next `ms`. */
export async function cpuIdle(ms = 1_000): Promise<number> {
  const a = cpuTotals();
  await new Promise((r) => setTimeout(r, ms));
  return idleSince(a);
}

export interface Quiet {
  /** Idle fraction of the last sample before the run started. */
  idle: number;
  waitedMs: number;
  /** False when the wait timed out and the run went ahead on a busy machine. */
  quiet: boolean;
  loadavg: number[];
}

// All waits of one bench process together stay within this budget, so a machine that never goes quiet
// delays a bench by minutes at most.
let budgetMs = Number(process.env.BENCH_QUIET_BUDGET_MS ?? 90_000);

/** A bench with few, long runs may allow more waiting; BENCH_QUIET_BUDGET_MS still wins. */
export function setQuietBudget(ms: number): void {
  if (process.env.BENCH_QUIET_BUDGET_MS === undefined) budgetMs = ms;
}

/**
 * Waits until the CPUs are at least `minIdle` idle over a 1 s sample, for at most `maxWaitMs`
 * (BENCH_QUIET_MAX_MS) and what is left of the process's budget (BENCH_QUIET_BUDGET_MS; 0 disables
 * waiting). BENCH_QUIET_MIN_IDLE overrides `minIdle`.
 */
export async function waitForQuiet(label: string, opts: { minIdle?: number; maxWaitMs?: number } = {}): Promise<Quiet> {
  const minIdle = Number(process.env.BENCH_QUIET_MIN_IDLE ?? opts.minIdle ?? 0.8);
  const maxWaitMs = Math.min(Number(process.env.BENCH_QUIET_MAX_MS ?? opts.maxWaitMs ?? 60_000), budgetMs);
  const start = Date.now();
  let idle = await cpuIdle();
  let told = false;
  while (idle < minIdle && Date.now() - start < maxWaitMs) {
    if (!told) console.error(`[${label}] waiting for idle CPUs (${Math.round(idle * 100)}% idle, want ${Math.round(minIdle * 100)}%)…`);
    told = true;
    idle = await cpuIdle();
  }
  budgetMs = Math.max(0, budgetMs - (Date.now() - start));
  const q = { idle, waitedMs: Date.now() - start, quiet: idle >= minIdle, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  if (!q.quiet) console.error(`[${label}] machine still busy after ${Math.round(q.waitedMs / 1000)} s (${Math.round(idle * 100)}% idle); running anyway`);
  return q;
}
