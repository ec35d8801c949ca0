// The table shapes bench:queue measures. Every count can be scaled down from the environment for a
// quick run (e.g. BENCH_N=500 BENCH_BACKLOG=10000 BENCH_BIG_ROWS=100000 npm run bench:queue).

export type ScenarioKey = 'a' | 'b' | 'c' | 'd';

/** Rows present before the measured claims start, in the order they are generated (oldest first). */
export interface TableShape {
  done: number;
  stuck: number;
  ready: number;
  /** Whether the stuck rows' leases are still valid (live work) rather than expired (crashed workers). */
  liveLeases?: boolean;
}

export interface Scenario {
  key: ScenarioKey;
  title: string;
  shape: TableShape;
}

export interface QueueBenchParams {
  /** Claims measured per run. */
  n: number;
  /** Claims before the measured ones (same workers, not recorded). */
  warmup: number;
  /** Claims measured afterwards with a single worker: the claim statement's own latency, no queueing for CPU. */
  serialN: number;
  workers: number;
  /** Distinct owners (queue_owners rows) the Cueframe tasks are spread over. */
  owners: number;
  backlog: number;
  stuck: number;
  /** BENCH_STUCK_LEASES=live: scenario c's stuck rows hold valid leases (live work) instead of expired ones. */
  liveLeases: boolean;
  bigRows: number;
  /** Hard time limit of one measured phase. */
  phaseMaxMs: number;
  /** Owner counts for the owner sweep (single worker, ready backlog, caps off). */
  sweepOwners: number[];
  sweepN: number;
}

function envInt(name: string, def: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return v;
}

function stuckLeases(): 'expired' | 'live' {
  const raw = process.env.BENCH_STUCK_LEASES ?? 'expired';
  if (raw !== 'expired' && raw !== 'live') throw new Error(`BENCH_STUCK_LEASES must be expired or live, got ${raw}`);
  return raw;
}

export function paramsFromEnv(): QueueBenchParams {
  return {
    n: envInt('BENCH_N', 5_000),
    warmup: envInt('BENCH_WARMUP', 200),
    serialN: envInt('BENCH_SERIAL_N', 1_000),
    workers: envInt('BENCH_WORKERS', 8),
    owners: envInt('BENCH_OWNERS', 1_000),
    backlog: envInt('BENCH_BACKLOG', 100_000),
    stuck: envInt('BENCH_STUCK', 100_000),
    liveLeases: stuckLeases() === 'live',
    bigRows: envInt('BENCH_BIG_ROWS', 1_000_000),
    phaseMaxMs: envInt('BENCH_PHASE_MAX_MS', 20_000),
    sweepOwners: (process.env.BENCH_SWEEP_OWNERS ?? '1,10,100,1000,10000')
      .split(',').filter((x) => x.trim() !== '').map((x) => Number(x)).filter((x) => Number.isInteger(x) && x > 0),
    sweepN: envInt('BENCH_SWEEP_N', 300),
  };
}

export function scenarios(p: QueueBenchParams): Scenario[] {
  const measured = p.warmup + p.n + p.serialN;
  const backlog = Math.max(p.backlog, measured);
  return [
    {
      key: 'a',
      title: `empty table + ${measured.toLocaleString('en-US')} ready`,
      shape: { done: 0, stuck: 0, ready: measured },
    },
    { key: 'b', title: `${backlog.toLocaleString('en-US')} ready backlog`, shape: { done: 0, stuck: 0, ready: backlog } },
    {
      key: 'c',
      title: `${p.stuck.toLocaleString('en-US')} stuck (${p.liveLeases ? 'live' : 'expired'} leases) + ${measured.toLocaleString('en-US')} ready`,
      shape: { done: 0, stuck: p.stuck, ready: measured, liveLeases: p.liveLeases },
    },
    {
      key: 'd',
      title: `${p.bigRows.toLocaleString('en-US')} rows: ${(p.bigRows - backlog).toLocaleString('en-US')} done + ${backlog.toLocaleString('en-US')} ready`,
      shape: { done: Math.max(0, p.bigRows - backlog), stuck: 0, ready: backlog },
    },
  ];
}

export function totalRows(s: TableShape): number {
  return s.done + s.stuck + s.ready;
}
