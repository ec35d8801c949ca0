// npm run bench:queue — claim-and-complete throughput and claim latency, Cueframe against pg-boss on
// the same server in the same run, over four table shapes (and against graphile-worker on the first),
// then Cueframe's claim cost against the number of owners. Every run gets a fresh database; see
// bench/queue/ for the pieces.
import { loadConfig } from '@/lib/config';
import { closeBenchServer } from './lib/db';
import { machineInfo, machineLine } from './lib/machine';
import { fmt, markdownTable, writeResult, type Cell } from './lib/report';
import { elapsedMs } from './lib/stats';
import type { Caps } from './queue/cueframe';
import { runGraphile, type GraphileResult } from './queue/graphile';
import { runCueframe, scenarioRuns, type RunResult } from './queue/runs';
import { paramsFromEnv, scenarios, type Scenario } from './queue/scenarios';

const defaults = loadConfig({});
const capsOn: Caps = { maxRunning: defaults.maxRunning, ownerMaxRunning: defaults.ownerMaxRunning };
const capsOff: Caps = { maxRunning: 0, ownerMaxRunning: 0 };

function capsLabel(c: Caps | null): string {
  if (!c) return '–';
  return c.maxRunning === 0 && c.ownerMaxRunning === 0 ? 'off (0/0)' : `default (${c.maxRunning}/${c.ownerMaxRunning})`;
}

function ratio(a: number, b: number | undefined): string {
  return b !== undefined && b > 0 && Number.isFinite(a) && a > 0 ? `${fmt(a / b, 2)}×` : '–';
}

function label(s: Scenario): string {
  return `${s.key}. ${s.title}`;
}

function concurrentTable(results: RunResult[], list: Scenario[]): string {
  const rows: Cell[][] = [];
  for (const s of list) {
    const boss = results.find((r) => r.scenario === s.key && r.system === 'pg-boss')?.concurrent;
    for (const r of results.filter((x) => x.scenario === s.key)) {
      const m = r.concurrent;
      const cf = r.system === 'cueframe';
      rows.push([
        label(s), r.system, capsLabel(r.caps), `${m.completed}${m.timedOut ? ' ⏱' : ''}`, fmt(m.throughput, 0),
        fmt(m.claimMs.p50, 1), fmt(m.claimMs.p99, 1), fmt(m.completeMs.p50, 1), m.empty,
        cf ? ratio(m.throughput, boss?.throughput) : '', cf ? ratio(m.claimMs.p99, boss?.claimMs.p99) : '',
      ]);
    }
  }
  return markdownTable(
    ['Scenario', 'System', 'Caps', 'Done', 'Tasks/s', 'Claim p50 ms', 'Claim p99 ms', 'Complete p50 ms', 'Empty claims',
      'Tasks/s ÷ pg-boss', 'Claim p99 ÷ pg-boss'],
    rows,
  );
}

function serialTable(results: RunResult[], list: Scenario[]): string {
  const rows: Cell[][] = [];
  for (const s of list) {
    for (const r of results.filter((x) => x.scenario === s.key)) {
      const m = r.serial;
      rows.push([label(s), r.system, capsLabel(r.caps), `${m.completed}${m.timedOut ? ' ⏱' : ''}`, fmt(m.throughput, 0),
        fmt(m.claimMs.p50, 2), fmt(m.claimMs.p95, 2), fmt(m.claimMs.p99, 2), fmt(m.completeMs.p50, 2),
        r.extraRowsLocked ?? '–']);
    }
  }
  return markdownTable(
    ['Scenario', 'System', 'Caps', 'Done', 'Tasks/s', 'Claim p50 ms', 'Claim p95 ms', 'Claim p99 ms', 'Complete p50 ms',
      'Other rows locked by one claim'],
    rows,
  );
}

function extrasTable(results: RunResult[], list: Scenario[]): string {
  const rows: Cell[][] = [];
  for (const s of list) {
    const e = results.find((x) => x.scenario === s.key && x.extras)?.extras;
    if (e) rows.push([label(s), fmt(e.sweepMs.p50, 2), fmt(e.readyWorkMs.p50, 2), fmt(e.readyWorkMs.max, 2)]);
  }
  return markdownTable(['Scenario', 'Lease sweep p50 ms', 'readyWork p50 ms', 'readyWork max ms'], rows);
}

function sweepTable(sweep: RunResult[]): string {
  return markdownTable(
    ['Owners', 'Done', 'Claim p50 ms', 'Claim p99 ms', 'Tasks/s', 'Other rows locked by one claim'],
    sweep.map((r) => [(r.owners ?? 0).toLocaleString('en-US'), `${r.serial.completed}${r.serial.timedOut ? ' ⏱' : ''}`,
      fmt(r.serial.claimMs.p50, 2), fmt(r.serial.claimMs.p99, 2), fmt(r.serial.throughput, 0), r.extraRowsLocked ?? '–']),
  );
}

/** Scenario a (an empty table plus the ready work) for all three queues: tasks per second and ratios. */
function threeQueuesTable(results: RunResult[], graphile: GraphileResult): string {
  const a = results.filter((r) => r.scenario === 'a');
  const cf = a.find((r) => r.system === 'cueframe' && r.caps?.maxRunning !== 0)?.concurrent.throughput ?? Number.NaN;
  const rows: Cell[][] = a.map((r) => [r.system === 'cueframe' ? `Cueframe, caps ${capsLabel(r.caps)}` : r.system,
    fmt(r.concurrent.throughput, 0), ratio(r.concurrent.throughput, cf), fmt(r.quiet.loadavg[0], 2)]);
  rows.push([`graphile-worker${graphile.timedOut ? ' ⏱' : ''}`, fmt(graphile.throughput, 0), ratio(graphile.throughput, cf), fmt(graphile.quiet.loadavg[0], 2)]);
  return markdownTable(['Queue', 'Jobs/s', '÷ Cueframe (default caps)', 'Load (1 min) at start'], rows);
}

function progress(r: RunResult): void {
  const c = r.concurrent;
  const s = r.serial;
  console.error(`[${r.scenario}] ${r.system} caps=${capsLabel(r.caps)} owners=${r.owners ?? '–'} load=${fmt(r.loadMs / 1000)}s ` +
    `idle=${Math.round(r.quiet.idle * 100)}% ` +
    `concurrent: ${c.completed} done ${fmt(c.throughput, 0)}/s p50=${fmt(c.claimMs.p50, 1)} p99=${fmt(c.claimMs.p99, 1)} ms` +
    `${c.timedOut ? ' (time limit)' : ''}; serial: p50=${fmt(s.claimMs.p50, 2)} p99=${fmt(s.claimMs.p99, 2)} ms`);
}

async function main(): Promise<void> {
  const p = paramsFromEnv();
  const only = process.env.BENCH_SCENARIOS?.split(',').map((x) => x.trim());
  const list = scenarios(p).filter((s) => !only || only.includes(s.key));
  const machine = await machineInfo();
  const started = process.hrtime.bigint();
  console.log(`# bench:queue\n\n${machineLine(machine)}\n`);
  console.log(`${p.workers} workers, ${p.n.toLocaleString('en-US')} concurrent + ${p.serialN.toLocaleString('en-US')} single-worker ` +
    `claims per run after ${p.warmup} warm-up, Cueframe tasks spread over ${p.owners.toLocaleString('en-US')} owners, ` +
    `phase limit ${p.phaseMaxMs / 1000} s (⏱ = limit hit), default caps ${capsLabel(capsOn)}.\n`);

  const results: RunResult[] = [];
  let graphile: GraphileResult | undefined;
  for (const [i, s] of list.entries()) {
    for (const run of scenarioRuns(s, p, i, { on: capsOn, off: capsOff })) {
      const r = await run();
      results.push(r);
      progress(r);
    }
    // Right after scenario a's own runs, so the three queues meet the machine in about the same state.
    if (s.key === 'a') {
      graphile = await runGraphile({ workers: p.workers, warmup: p.warmup, n: p.n, phaseMaxMs: p.phaseMaxMs });
      console.error(`[a] graphile-worker: ${graphile.completed} done ${fmt(graphile.throughput, 0)}/s${graphile.timedOut ? ' (time limit)' : ''}`);
    }
  }
  const sweep: RunResult[] = [];
  if (!only || only.includes('owners')) {
    const shape = { done: 0, stuck: 0, ready: p.backlog };
    for (const owners of p.sweepOwners) {
      const plan = { workers: 1, warmup: 20, n: 0, serialN: p.sweepN, phaseMaxMs: 10_000 };
      const r = await runCueframe('owners', shape, owners, capsOff, plan);
      sweep.push(r);
      progress(r);
    }
  }

  if (graphile) {
    console.log(`## Three queues, no-op tasks, ${p.workers} workers, scenario a (graphile-worker: its own runner, concurrency ${p.workers})\n\n` +
      `${threeQueuesTable(results, graphile)}\n`);
  }
  if (list.length) {
    console.log(`## Claim + complete, ${p.workers} concurrent workers\n\n${concurrentTable(results, list)}\n`);
    console.log(`## Claim + complete, one worker (no CPU queueing)\n\n${serialTable(results, list)}\n`);
    console.log(`## Cueframe's other per-invocation queries (one caller, before the runs)\n\n${extrasTable(results, list)}\n`);
  }
  if (sweep.length) {
    console.log(`## Cueframe claim vs number of owners (${p.backlog.toLocaleString('en-US')} ready, one worker, caps off)\n\n` +
      `${sweepTable(sweep)}\n`);
  }
  const busy = [...results, ...sweep].filter((r) => !r.quiet.quiet);
  console.log(busy.length === 0
    ? 'Every run started with the CPUs at least 80% idle.\n'
    : `${busy.length} run(s) started on a busy machine (CPU idle below 80%): ` +
      `${busy.map((r) => `${r.scenario}/${r.system}/${capsLabel(r.caps)} ${Math.round(r.quiet.idle * 100)}%`).join(', ')}.\n`);
  const totalMs = elapsedMs(started);
  const file = await writeResult('queue', { machine, params: p, caps: { on: capsOn, off: capsOff }, scenarios: list, results, graphile, sweep, totalMs });
  console.log(`Total ${fmt(totalMs / 1000, 0)} s. JSON: ${file}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // An embedded server (no BENCH_DATABASE_URL or TEST_DATABASE_URL) would otherwise keep the process alive.
  .finally(closeBenchServer);
