// npm run bench:latency — how long a new video waits before its plan step starts: with kicks (what the
// generate route does), and cron-only (no kicks; the next poll picks it up), measured at a 2 s interval
// and extrapolated to Vercel Cron's 60 s by the U(0, T) model the measurement checks.
import './lib/quiet';
import type { App } from '@/lib/app';
import { enqueueVideo, sleep, withBenchApp } from './lib/app';
import { closeBenchServer } from './lib/db';
import { machineInfo, machineLine, waitForQuiet, type Quiet } from './lib/machine';
import { fmt, markdownTable, writeResult, type Cell } from './lib/report';
import { elapsedMs, summarize, type Summary } from './lib/stats';
import { cronModel, rng } from './latency/cron';
import { waitForPlanStarts, type PlanStart } from './latency/measure';
import { stopAfterPlan } from './latency/providers';

function envInt(name: string, def: number): number {
  const v = Number(process.env[name] ?? def);
  return Number.isInteger(v) && v > 0 ? v : def;
}

const KICK_N = envInt('BENCH_LATENCY_N', 50);
const KICK_SPACING_MS = envInt('BENCH_LATENCY_SPACING_MS', 100);
const CRON_N = envInt('BENCH_CRON_N', 30);
const CRON_POLL_MS = envInt('BENCH_CRON_POLL_MS', 2_000);
const VERCEL_CRON_MS = 60_000;

interface RunResult {
  name: string;
  starts: PlanStart[];
  latencyMs: Summary;
  missing: number;
  quiet: Quiet;
}

async function run(
  name: string, env: Record<string, string>, drive: (app: App) => Promise<string[]>, waitMs: number,
): Promise<RunResult> {
  const quiet = await waitForQuiet(name);
  return withBenchApp(env, async (app) => {
    app.providers = stopAfterPlan(app.providers);
    const ids = await drive(app);
    const starts = await waitForPlanStarts(app.db, ids, waitMs);
    const ok = starts.flatMap((s) => (s.latencyMs === null ? [] : [s.latencyMs]));
    const r: RunResult = { name, starts, latencyMs: summarize(ok), missing: starts.length - ok.length, quiet };
    console.error(`${name}: idle=${Math.round(quiet.idle * 100)}% n=${ok.length} p50=${fmt(r.latencyMs.p50)} ms ` +
      `p95=${fmt(r.latencyMs.p95)} ms missing=${r.missing}`);
    return r;
  });
}

/** Kicks on: one enqueue every KICK_SPACING_MS; the poll is 60 s, so only kicks can start the plans in time. */
function kicked(): Promise<RunResult> {
  return run('kicks', { SCHEDULER: 'on', SCHEDULER_POLL_MS: String(VERCEL_CRON_MS) }, async (app) => {
    const ids: string[] = [];
    for (let i = 0; i < KICK_N; i++) {
      const v = await enqueueVideo(app, { topic: `Latency ${i}`, sceneCount: 1 }, { ownerId: `bench-${i % 10}`, kick: true });
      ids.push(v.id);
      await sleep(KICK_SPACING_MS);
    }
    return ids;
  }, 10_000);
}

/**
 * Cron-only, scaled down: one loop (as one cron call per tick), polling every CRON_POLL_MS, no kicks at
 * all (the kicker is a no-op, so work does not chain either). Gaps between enqueues are 50 ms + U(0, 2T),
 * so arrivals land at uniformly random points of the poll cycle.
 */
function cronOnly(): Promise<RunResult> {
  const env = { SCHEDULER: 'on', SCHEDULER_POLL_MS: String(CRON_POLL_MS), QUEUE_CONCURRENCY: '1' };
  return run(`cron-only ${CRON_POLL_MS / 1000} s`, env, async (app) => {
    app.kicker = { kick: async () => {} };
    const rand = rng(7);
    const ids: string[] = [];
    for (let i = 0; i < CRON_N; i++) {
      await sleep(50 + rand() * 2 * CRON_POLL_MS);
      const v = await enqueueVideo(app, { topic: `Cron ${i}`, sceneCount: 1 }, { ownerId: `bench-${i % 10}`, kick: false });
      ids.push(v.id);
    }
    return ids;
  }, 3 * CRON_POLL_MS);
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  const started = process.hrtime.bigint();
  console.log(`# bench:latency\n\n${machineLine(machine)}\n`);
  const kick = await kicked();
  const cron = await cronOnly();
  const scaled = cronModel(CRON_POLL_MS);
  const vercel = cronModel(VERCEL_CRON_MS);

  const row = (label: string, how: string, n: number | string, s: { mean: number; p50: number; p95: number }): Cell[] =>
    [label, how, n, fmt(s.p50, 0), fmt(s.p95, 0), fmt(s.mean, 0)];
  const rows: Cell[][] = [
    row('Kicks (generate route), poll 60 s', 'measured', kick.latencyMs.n, kick.latencyMs),
    row(`Cron-only, ${CRON_POLL_MS / 1000} s interval`, 'measured', cron.latencyMs.n, cron.latencyMs),
    row(`Cron-only, ${CRON_POLL_MS / 1000} s interval`, 'U(0, T) closed form', '–', scaled.analytic),
    row(`Cron-only, ${CRON_POLL_MS / 1000} s interval`, 'simulated', scaled.simulated.n, scaled.simulated),
    row('Cron-only, 60 s (Vercel Cron)', 'U(0, T) closed form', '–', vercel.analytic),
    row('Cron-only, 60 s (Vercel Cron)', 'simulated', vercel.simulated.n, vercel.simulated),
  ];
  console.log('## Enqueue → plan step_started\n');
  console.log(markdownTable(['Design', 'How', 'n', 'p50 ms', 'p95 ms', 'mean ms'], rows));
  console.log(`\nKicks: ${KICK_N} enqueues ${KICK_SPACING_MS} ms apart, min ${fmt(kick.latencyMs.min)} ms, max ` +
    `${fmt(kick.latencyMs.max)} ms, ${kick.missing} not started within 10 s. Cron-only run: ${CRON_N} enqueues, ` +
    `measured/predicted p50 = ${fmt(cron.latencyMs.p50 / scaled.analytic.p50, 2)}, p95 = ${fmt(cron.latencyMs.p95 / scaled.analytic.p95, 2)}.`);
  const speedup = vercel.analytic.p50 / kick.latencyMs.p50;
  console.log(`Kicks vs 60 s cron: p50 ${fmt(kick.latencyMs.p50, 0)} ms vs ${fmt(vercel.analytic.p50, 0)} ms (${fmt(speedup, 0)}× sooner).\n`);
  const totalMs = elapsedMs(started);
  const file = await writeResult('latency', {
    machine, params: { KICK_N, KICK_SPACING_MS, CRON_N, CRON_POLL_MS }, kick, cron, model: { scaled, vercel }, totalMs,
  });
  console.log(`Total ${fmt(totalMs / 1000, 0)} s. JSON: ${file}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // An embedded server (no BENCH_DATABASE_URL or TEST_DATABASE_URL) would otherwise keep the process alive.
  .finally(closeBenchServer);
