// npm run bench:tracing — what tracing costs when no exporter is configured, side by side in one run:
// the instrumented code as it ships (no tracer provider registered, so the OpenTelemetry API's
// non-recording spans) against the same code with TRACING=off, which skips the API altogether.
//
// 1. Queue: bench:queue's claim-and-complete loop (8 workers, the real claimTask, whose `queue.claim`
//    span is the instrumentation on that path), over a fresh load of ready tasks per round.
// 2. HTTP: the generate route's maximum throughput (autocannon, closed loop) on two `next start`
//    servers, one with TRACING=off, sharing one database; the `video.accept` span and its stored
//    traceparent are the instrumentation there.
// 3. CPU: the instrumentation calls of one claim (contextOf + recordSpan) and of one accept (withSpan +
//    currentTraceparent) in a tight loop, off against on: their cost per call, which the machine's
//    load barely moves, set against the time a claim + complete takes.
// Rounds alternate the order (off, on, on, off, …), so drift in the machine's load falls on both alike;
// the spread between rounds of one variant is the noise the difference is read against.
//
// Knobs: BENCH_TRACING_ROUNDS (6), BENCH_N (4,000 tasks per queue round), BENCH_HTTP_SECONDS (8 per
// measurement), BENCH_HTTP_CONNECTIONS (32), BENCH_TRACING_PARTS (cpu,queue,http), BENCH_TRACING_AA=1 (an
// A/A run: the "on" side is TRACING=off too, so whatever difference remains is the noise).
import autocannon, { type Request } from 'autocannon';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@/lib/config';
import { attr, contextOf, currentTraceparent, recordSpan, setTracingEnabled, spanClock, withSpan } from '@/lib/trace';
import { closeBenchServer, createBenchDatabase, openPool } from './lib/db';
import { machineInfo, machineLine } from './lib/machine';
import { fmt, markdownTable, writeResult } from './lib/report';
import { ensureBuild, startServer, type BenchServer, HTTP_BENCH_ENV } from './lib/server';
import { median } from './lib/stats';
import { cueframeDriver, loadCueframe } from './queue/cueframe';
import { measure } from './queue/measure';

function envInt(name: string, def: number): number {
  const v = Number(process.env[name] ?? def);
  return Number.isInteger(v) && v > 0 ? v : def;
}

const ROUNDS = envInt('BENCH_TRACING_ROUNDS', 6);
const N = envInt('BENCH_N', 4_000);
const WORKERS = 8;
const OWNERS = 200;
const SECONDS = envInt('BENCH_HTTP_SECONDS', 8);
const CONNECTIONS = envInt('BENCH_HTTP_CONNECTIONS', 32);
const PARTS = (process.env.BENCH_TRACING_PARTS ?? 'cpu,queue,http').split(',').map((p) => p.trim());
const CPU_CALLS = 200_000;
const AA = process.env.BENCH_TRACING_AA === '1';

type Variant = 'off' | 'on';
/** Round r runs off-then-on when r is even, on-then-off when odd. */
const order = (r: number): Variant[] => (r % 2 === 0 ? ['off', 'on'] : ['on', 'off']);

interface Samples {
  off: number[];
  on: number[];
}

/** Median, spread (max − min as a share of the median) and the rounds themselves. */
function describe(s: number[]): { median: number; spread: number } {
  const m = median(s);
  return { median: m, spread: (Math.max(...s) - Math.min(...s)) / m };
}

function table(title: string, unit: string, s: Samples): string {
  const off = describe(s.off);
  const on = describe(s.on);
  const change = (on.median - off.median) / off.median;
  const paired = s.on.map((v, i) => v / s.off[i]!);
  return `${markdownTable(
    ['Variant', `Median ${unit}`, 'Rounds', 'Spread (max − min) ÷ median'],
    [
      ['TRACING=off (no instrumentation)', fmt(off.median, 0), s.off.map((v) => fmt(v, 0)).join(', '), `${fmt(off.spread * 100, 1)} %`],
      ['as shipped, no exporter', fmt(on.median, 0), s.on.map((v) => fmt(v, 0)).join(', '), `${fmt(on.spread * 100, 1)} %`],
    ],
  )}\n\n${title}: as shipped ÷ off = ${fmt(on.median / off.median, 3)} (${change >= 0 ? '+' : ''}${fmt(change * 100, 1)} %), ` +
    `against a round-to-round spread of ${fmt(off.spread * 100, 1)} % (off) and ${fmt(on.spread * 100, 1)} % (on). ` +
    // Each round's two measurements ran back to back, so their ratio is the least disturbed by drift in load.
    `Paired by round (on ÷ off): ${paired.map((x) => fmt(x, 2)).join(', ')}; median ${fmt(median(paired), 3)}.`;
}

/** Nanoseconds per call of `fn`, over CPU_CALLS calls. */
async function nsPerCall(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CPU_CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / CPU_CALLS;
}

/** The tracing calls claimTask and createVideos make, without the work they wrap. */
const calls = {
  claim: () => {
    const started = spanClock();
    recordSpan('queue.claim', { [attr.videoId]: 'v', [attr.taskId]: '1', [attr.step]: 'render', [attr.attempt]: 1 }, started, contextOf(null));
  },
  accept: () => withSpan('video.accept', {}, async (span) => {
    const traceparent = currentTraceparent();
    span.setAttribute(attr.videoIds, ['v']);
    return traceparent;
  }),
};

async function cpuPart(): Promise<Record<keyof typeof calls, Samples>> {
  const out = { claim: { off: [], on: [] }, accept: { off: [], on: [] } } as Record<keyof typeof calls, Samples>;
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of order(r)) {
      setTracingEnabled(v === 'on');
      for (const k of Object.keys(calls) as Array<keyof typeof calls>) out[k][v].push(await nsPerCall(calls[k]));
    }
  }
  setTracingEnabled(true);
  console.error(`[cpu] claim: off ${fmt(median(out.claim.off), 0)} ns, on ${fmt(median(out.claim.on), 0)} ns; ` +
    `accept: off ${fmt(median(out.accept.off), 0)} ns, on ${fmt(median(out.accept.on), 0)} ns`);
  return out;
}

async function queuePart(): Promise<Samples> {
  const defaults = loadConfig({});
  const caps = { maxRunning: defaults.maxRunning, ownerMaxRunning: defaults.ownerMaxRunning };
  const s: Samples = { off: [], on: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of order(r)) {
      const d = await createBenchDatabase({ migrate: true });
      const db = openPool(d.url, WORKERS);
      try {
        await loadCueframe(d.url, { done: 0, stuck: 0, ready: N + 200 }, OWNERS);
        setTracingEnabled(v === 'on' && !AA);
        const driver = cueframeDriver(db, caps);
        await measure(driver, { workers: WORKERS, count: 200, maxMs: 5_000 });
        const m = await measure(driver, { workers: WORKERS, count: N, maxMs: 60_000 });
        s[v].push(m.throughput);
        console.error(`[queue] round ${r + 1} ${v}: ${fmt(m.throughput, 0)} tasks/s (${m.completed} done, load ${fmt(os.loadavg()[0], 2)})`);
      } finally {
        setTracingEnabled(true);
        await db.close();
        await d.drop();
      }
    }
  }
  return s;
}

function generateRequests(cookie: string, tag: string): Request[] {
  return Array.from({ length: 100 }, (_, i) => ({
    method: 'POST', path: '/api/video/generate', headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ topic: `Bench ${tag} ${i}: how volcanoes work`, sceneCount: 4 }),
  }));
}

async function generateRps(server: BenchServer, requests: Request[], seconds: number): Promise<{ rps: number; bad: number }> {
  const r = await autocannon({ url: server.baseUrl, connections: CONNECTIONS, duration: seconds, requests });
  const good = Number(r.statusCodeStats['202']?.count ?? 0);
  const all = Object.values(r.statusCodeStats).reduce((n, c) => n + Number(c.count), 0);
  return { rps: good / r.duration, bad: all - good + r.errors + r.timeouts };
}

async function httpPart(): Promise<Samples> {
  ensureBuild();
  const database = await createBenchDatabase({ migrate: true });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-bench-tracing-'));
  const servers: Partial<Record<Variant, BenchServer>> = {};
  try {
    const env = { ...HTTP_BENCH_ENV, DATABASE_URL: database.url, DATA_DIR: dataDir };
    servers.off = await startServer({ ...env, TRACING: 'off' });
    servers.on = await startServer(AA ? { ...env, TRACING: 'off' } : env);
    const requests: Partial<Record<Variant, Request[]>> = {};
    for (const v of ['off', 'on'] as const) {
      const res = await fetch(`${servers[v]!.baseUrl}/api/me`);
      const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
      requests[v] = generateRequests(cookie, v);
      await generateRps(servers[v]!, requests[v], 3); // warm-up
    }
    const s: Samples = { off: [], on: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of order(r)) {
        const m = await generateRps(servers[v]!, requests[v]!, SECONDS);
        if (m.bad > 0) console.error(`[http] round ${r + 1} ${v}: ${m.bad} answers other than 202`);
        s[v].push(m.rps);
        console.error(`[http] round ${r + 1} ${v}: ${fmt(m.rps, 0)} req/s (load ${fmt(os.loadavg()[0], 2)})`);
      }
    }
    return s;
  } finally {
    await Promise.all(Object.values(servers).map((srv) => srv.stop()));
    await database.drop().catch((err: unknown) => console.error(`could not drop ${database.name}:`, err));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  const started = Date.now();
  const load = [os.loadavg()[0]];
  const cpu = PARTS.includes('cpu') ? await cpuPart() : null;
  const queue = PARTS.includes('queue') ? await queuePart() : null;
  load.push(os.loadavg()[0]);
  const http = PARTS.includes('http') ? await httpPart() : null;
  load.push(os.loadavg()[0]);
  console.log(`# bench:tracing\n\n${machine.date}, ${machineLine(machine)}\n`);
  console.log(`${ROUNDS} rounds per variant, order alternating; 1-minute load average ${load.map((l) => fmt(l, 2)).join(' → ')}.\n`);
  if (AA) console.log('**A/A run (BENCH_TRACING_AA=1): both sides are TRACING=off; the "as shipped" rows measure noise only.**\n');
  if (cpu) {
    const row = (name: string, k: keyof typeof calls) => {
      const off = median(cpu[k].off);
      const on = median(cpu[k].on);
      return [name, fmt(off, 0), fmt(on, 0), fmt(on - off, 0)];
    };
    console.log(`## CPU: the instrumentation calls alone, ${CPU_CALLS.toLocaleString('en-US')} calls per round, median of ${ROUNDS}\n\n${markdownTable(
      ['Calls', 'TRACING=off, ns', 'as shipped, no exporter, ns', 'Added per call, ns'],
      [row('claim: contextOf + recordSpan', 'claim'), row('accept: withSpan + currentTraceparent', 'accept')],
    )}\n`);
  }
  if (queue) {
    console.log(`## Queue: claim + complete, ${WORKERS} workers, ${N.toLocaleString('en-US')} tasks per round (fresh database each)\n\n` +
      `${table('Queue', 'tasks/s', queue)}\n`);
  }
  if (http) {
    console.log(`## HTTP: POST /api/video/generate, ${CONNECTIONS} connections, ${SECONDS} s per round\n\n${table('Generate', 'req/s', http)}\n`);
  }
  const file = await writeResult('tracing', { machine, params: { ROUNDS, N, WORKERS, OWNERS, SECONDS, CONNECTIONS, CPU_CALLS }, cpu, queue, http, load });
  console.log(`Total ${fmt((Date.now() - started) / 1000, 0)} s. JSON: ${file}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(closeBenchServer);
