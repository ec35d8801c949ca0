// npm run bench:http — the API's HTTP cost on a real `next start` and PostgreSQL, against a bare route
// (GET /api/health: no database, static JSON) on the same server in the same run, and the server's
// memory while it renders a 1080p video. Builds with `next build` first when the sources changed.
//
//   1. render: SCHEDULER=on, one 4-scene 1080p local video; VmRSS of the server and of its ffmpeg
//      children every 100 ms.
//   2. http: SCHEDULER=off (rendering would steal CPU), 64 connections, each phase 2 s warm-up + 10 s:
//      health · capabilities (proxy + withOwner, no DB) · health by POST (reads a JSON body) · generate · status (plain GETs) ·
//      status (If-None-Match; warm-up runs until every client has seen every ETag) · health again;
//      then health, generate and status on one connection (service time without queueing).
//   2a. rounds: bare route (GET, then POST with a body), generate, status (If-None-Match) and status (plain GET), back to back, 3 times;
//      each route's ratio is taken against the bare-route run of its own round.
//   2b. sweeps: the highest open-loop rate at which the bare route, then generate, keeps p99 ≤ 25 ms
//      (bisection between 0 and the bare route's closed-loop maximum; see sweep.ts).
//   3. profile: the routes' lib functions in this process, instrumented (see profile.ts).
//
// Knobs: BENCH_HTTP_CONNECTIONS (64), BENCH_HTTP_SERVER_WARMUP_MS (4000 per route, once), BENCH_HTTP_WARMUP_MS (2000), BENCH_HTTP_DURATION_MS (10000),
// BENCH_HTTP_RENDER (1; 0 skips the render), BENCH_HTTP_RENDER_MAX_MS (600000), BENCH_HTTP_PROFILE_MS (3000; 0 skips
// the in-process profile), BENCH_HTTP_ROUNDS (3; 0 skips them), BENCH_HTTP_ROUND_MS (6000), BENCH_HTTP_SWEEP_STEPS (6; 0 skips the p99 sweeps), BENCH_HTTP_SWEEP_MS (6000),
// BENCH_HTTP_LOOP (1; 0 runs the server without bench/http/loop-monitor.mjs), BENCH_HTTP_PHASES (a regex on phase names, say `generate|health`; unset = all),
// BENCH_DATABASE_URL (the PostgreSQL server; a fresh database is created on it and dropped afterwards).
import '../lib/quiet';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseWith } from '@/lib/api/body';
import { loadConfig } from '@/lib/config';
import { createPgDb } from '@/lib/db/pg';
import { generateVideoRequestSchema } from '@/lib/schemas/video';
import { createVideos } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';
import { ensureBuild, startServer, type ServerProcess } from '@/tests/helpers/server';
import { sleep } from '../lib/app';
import { closeBenchServer, createBenchDatabase } from '../lib/db';
import { machineInfo, machineLine, waitForQuiet, type Quiet } from '../lib/machine';
import { writeResult } from '../lib/report';
import { elapsedMs } from '../lib/stats';
import { loopMonitor, type LoopMonitor, type LoopStats } from './loop';
import { NO_TRIP, SCENES, capabilitiesClients, generateClients, health, healthPost, statusClients } from './clients';
import { persistentClients, runLoad, type Client, type LoadResult } from './load';
import { counterDelta, dbCounters, startActivitySampler, statsClient, type Activity, type DbCounters } from './pgstats';
import { cpuBetween, cpuSnapshot, startRssSampler, statusKb, type CpuShare, type CpuSnapshot } from './proc';
import { profile, type Profile } from './profile';
import { renderAndSample, type RenderResult } from './render';
import { report } from './report';
import { seedStatusVideos } from './seed';
import { callProbe, httpProbe, sweep, type ProbeResult, type Sweep } from './sweep';

function envInt(name: string, def: number): number {
  const v = Number(process.env[name] ?? def);
  return Number.isInteger(v) && v >= 0 ? v : def;
}

const CONNECTIONS = envInt('BENCH_HTTP_CONNECTIONS', 64);
const WARMUP_MS = envInt('BENCH_HTTP_WARMUP_MS', 2_000);
/** Unrecorded load on each route of a freshly started server before the first phase. */
const SERVER_WARMUP_MS = envInt('BENCH_HTTP_SERVER_WARMUP_MS', 4_000);
const DURATION_MS = envInt('BENCH_HTTP_DURATION_MS', 10_000);
const RENDER = envInt('BENCH_HTTP_RENDER', 1) !== 0;
const RENDER_MAX_MS = envInt('BENCH_HTTP_RENDER_MAX_MS', 600_000);
const PROFILE_MS = envInt('BENCH_HTTP_PROFILE_MS', 3_000);
/** Alternating rounds of bare route, generate and status (0 skips them), and each phase's length. */
const ROUNDS = envInt('BENCH_HTTP_ROUNDS', 3);
const ROUND_MS = envInt('BENCH_HTTP_ROUND_MS', 6_000);
/** Preloads bench/http/loop-monitor.mjs into the HTTP server (0 leaves the server unmodified). */
const LOOP = envInt('BENCH_HTTP_LOOP', 1) !== 0;
/** The HTTP server's monitor, when LOOP is on. */
let monitor: LoopMonitor | null = null;
/** Bisection steps and probe length of the p99 ≤ 25 ms sweeps (0 steps skips them). */
const SWEEP_STEPS = envInt('BENCH_HTTP_SWEEP_STEPS', 6);
const SWEEP_MS = envInt('BENCH_HTTP_SWEEP_MS', 6_000);
/** Only the phases whose names match (case-insensitive), for a quicker look at one route; unset = all. */
const PHASES = process.env.BENCH_HTTP_PHASES ? new RegExp(process.env.BENCH_HTTP_PHASES, 'i') : null;
/** Open-loop rates as shares of the bare route, a little above the targets (50% and 70%), so that the
 * rate served still clears the target when the bare route's later run comes out a little faster. */
const OPEN_GENERATE = 0.52;
const OPEN_STATUS = 0.75;
const STATUS_OWNERS = 10;
const STATUS_PER_OWNER = 5;

/** The queue at its production defaults (tests/helpers/server.ts sets short test leases otherwise). */
const QUEUE_DEFAULTS = { LEASE_MS: '60000', HEARTBEAT_MS: '15000', SCHEDULER_POLL_MS: '2000', QUEUE_CONCURRENCY: '2' };

export interface Phase {
  name: string;
  endpoint: string;
  load: LoadResult;
  cpu: CpuShare;
  /** Server CPU milliseconds per request inside the window. */
  serverCpuMsPerReq: number;
  postgresCpuMsPerReq: number;
  /** Per request, warm-up included (pg_stat_database has no finer clock): commits and inserted rows. */
  db: DbCounters & { xactPerReq: number; insertedPerReq: number };
  activity: Activity;
  /** How idle the machine was just before the phase (1 s sample) and its load average then. */
  quiet: Quiet;
  /** Server VmRSS when the phase ended, MB. */
  rssMbAfter: number;
  /** The server's event loop and GC inside the window (BENCH_HTTP_LOOP). */
  loop: LoopStats | null;
  /** Requests whose owner was refused (402/429) and who moved to a fresh owner. */
  ownerRotations?: number;
  /** For If-None-Match runs: whether a 5-minute signed-URL boundary fell inside the run (ETags of videos with URLs change once). */
  signedUrlBoundaryCrossed?: boolean;
}

async function phase(
  name: string,
  endpoint: string,
  server: ServerProcess,
  database: string,
  makeClient: (i: number) => Client,
  extra: Partial<Phase> = {},
  warm: { ready?: () => boolean; maxWarmupMs?: number; connections?: number; durationMs?: number; rate?: number } = {},
): Promise<Phase> {
  const quiet = await waitForQuiet(name, { maxWaitMs: 30_000 });
  const stats = await statsClient();
  try {
    const before = await dbCounters(stats, database);
    let a: CpuSnapshot | undefined;
    let b: CpuSnapshot | undefined;
    let activity: ReturnType<typeof startActivitySampler> | undefined;
    const loopMarks: Array<Promise<LoopStats | null>> = [];
    const load = await runLoad({
      port: server.port,
      connections: warm.connections ?? CONNECTIONS,
      warmupMs: WARMUP_MS,
      durationMs: warm.durationMs ?? DURATION_MS,
      client: makeClient,
      ready: warm.ready,
      maxWarmupMs: warm.maxWarmupMs,
      rate: warm.rate,
      onWindow: (edge) => {
        if (monitor) loopMarks.push(monitor.mark(server.pid));
        if (edge === 'start') {
          a = cpuSnapshot(server.pid, database);
          activity = startActivitySampler(stats, database);
        } else {
          b = cpuSnapshot(server.pid, database);
        }
      },
    });
    const act = await activity!.stop();
    const [, loop = null] = await Promise.all(loopMarks);
    await sleep(1_200); // statistics reach pg_stat_database at most a second after the transaction
    const after = await dbCounters(stats, database);
    const d = counterDelta(before, after);
    const cpu = cpuBetween(a!, b!);
    const perReq = (cores: number) => (cores * cpu.wallMs) / Math.max(1, load.requests);
    const p: Phase = {
      name, endpoint, load, cpu,
      serverCpuMsPerReq: perReq(cpu.serverCores),
      postgresCpuMsPerReq: perReq(cpu.postgresCores),
      db: { ...d, xactPerReq: d.xactCommit / Math.max(1, load.totalRequests), insertedPerReq: d.tupInserted / Math.max(1, load.totalRequests) },
      activity: act,
      quiet,
      rssMbAfter: (statusKb(server.pid, 'VmRSS') ?? 0) / 1024,
      loop,
      ...extra,
    };
    const st = Object.entries(load.statuses).map(([k, n]) => `${k}×${n}`).join(' ');
    console.error(`[${name}] ${Math.round(load.rps)} req/s p50 ${load.latencyMs.p50.toFixed(1)} ms p99 ${load.latencyMs.p99.toFixed(1)} ms ` +
      `(${st}${load.errors ? `, ${load.errors} errors: ${load.errorSamples[0]}` : ''}); server ${cpu.serverCores.toFixed(2)} cores, ` +
      `postgres ${cpu.postgresCores.toFixed(2)}, client ${cpu.clientCores.toFixed(2)}, other ${cpu.otherCores.toFixed(2)}`);
    return p;
  } finally {
    await stats.end();
  }
}

/** Whether the status route's signed-URL expiry (now + TTL rounded up to 300 s) changed between two instants. */
function boundaryCrossed(fromMs: number, toMs: number, ttlSeconds = 3600): boolean {
  const bucket = (ms: number) => Math.ceil((Math.floor(ms / 1000) + ttlSeconds) / 300);
  return bucket(fromMs) !== bucket(toMs);
}

/** One alternating round: closed-loop req/s of each, measured back to back. */
export interface Round {
  bare: number;
  /** The bare route by POST with a body (not a target's baseline; it shows what taking a body costs). */
  barePost: number;
  generate: number;
  statusInm: number;
  statusPlain: number;
  generateErrors: number;
  statusErrors: number;
  /** Answers in the If-None-Match phase that were not 304. */
  not304: number;
}

export interface HttpBenchResult {
  machine: Awaited<ReturnType<typeof machineInfo>>;
  params: Record<string, unknown>;
  build: { built: boolean; ms: number };
  render: RenderResult | null;
  renderQuiet: Quiet | null;
  httpQuiet: Quiet;
  targets: Array<{ id: string; state: string }>;
  phases: Phase[];
  rounds: Round[];
  sweeps: Sweep[];
  httpRss: { idleMb: number; peakMb: number; hwmMb: number | null };
  profile: Profile | null;
  totalMs: number;
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const machine = await machineInfo();
  console.error('[build] next build if the sources changed…');
  const build = await ensureBuild({ timeoutMs: 900_000 });
  console.error(`[build] ${build.built ? `built in ${Math.round(build.ms / 1000)} s` : 'up to date'}`);

  const database = await createBenchDatabase({ migrate: false }); // the server migrates it
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-bench-http-'));
  let server: ServerProcess | undefined;
  let rss: ReturnType<typeof startRssSampler> | undefined;
  try {
    // 1. Memory while rendering.
    let render: RenderResult | null = null;
    let renderQuiet: Quiet | null = null;
    if (RENDER) {
      renderQuiet = await waitForQuiet('render');
      server = await startServer({ databaseUrl: database.url, dataDir, env: { SCHEDULER: 'on', ...QUEUE_DEFAULTS, ...NO_TRIP }, readyTimeoutMs: 60_000 });
      console.error(`[render] ${SCENES}-scene 1080p video, server pid ${server.pid}…`);
      render = await renderAndSample(server, { databaseUrl: database.url, sceneCount: SCENES, maxMs: RENDER_MAX_MS, concurrency: QUEUE_DEFAULTS.QUEUE_CONCURRENCY });
      console.error(`[render] ${render.status} in ${(render.wallMs / 1000).toFixed(1)} s; server peak ${render.peaks.serverPeakMb.toFixed(0)} MB ` +
        `(HWM ${render.peaks.serverHwmMb?.toFixed(0)} MB), ffmpeg sum peak ${render.peaks.ffmpegSumPeakMb.toFixed(0)} MB, ` +
        `largest ffmpeg ${render.peaks.ffmpegMaxPeakMb.toFixed(0)} MB`);
      await server.stop(10_000);
      server = undefined;
    }

    // 2. HTTP, on a fresh server with the scheduler off (the after() kick is then a no-op).
    monitor = LOOP ? loopMonitor() : null;
    server = await startServer({ databaseUrl: database.url, dataDir, env: { SCHEDULER: 'off', ...NO_TRIP, ...monitor?.env }, readyTimeoutMs: 60_000 });
    const targets = await seedStatusVideos(server.baseUrl, database.url, render?.assets ?? null, { owners: STATUS_OWNERS, perOwner: STATUS_PER_OWNER });
    const idleMb = (statusKb(server.pid, 'VmRSS') ?? 0) / 1024;
    rss = startRssSampler(server.pid, 100);
    // A fresh server runs its first seconds far slower (lazy route compilation, then JIT): one run's
    // first phase had a 4.9 s max latency and came out 22% under the same route's later run. That
    // first bare-route run sets every ratio, open-loop rate and sweep bound, so each route is driven
    // unrecorded first.
    if (SERVER_WARMUP_MS > 0) {
      console.error(`[warm-up] ${SERVER_WARMUP_MS / 1000} s per route, not recorded…`);
      for (const client of [health, healthPost, generateClients({ rotations: 0 }), statusClients(targets, false, CONNECTIONS).make]) {
        await runLoad({ port: server.port, connections: CONNECTIONS, warmupMs: 0, durationMs: SERVER_WARMUP_MS, client });
      }
    }
    const httpQuiet = await waitForQuiet('http');
    const phases: Phase[] = [];
    const run = async (...args: Parameters<typeof phase>): Promise<Phase | undefined> => {
      // The bare route's first run sets the open-loop rates, so it always runs.
      if (PHASES && args[0] !== 'health (before)' && !PHASES.test(args[0])) return undefined;
      const p = await phase(...args);
      phases.push(p);
      return p;
    };
    await run('health (before)', 'GET /api/health', server, database.name, health);
    await run('capabilities (no DB)', 'GET /api/capabilities', server, database.name, capabilitiesClients);
    await run('health by POST (reads the body)', 'POST /api/health', server, database.name, healthPost);
    const gen = { rotations: 0 };
    const g = await run('generate', 'POST /api/video/generate', server, database.name, generateClients(gen));
    if (g) g.ownerRotations = gen.rotations;
    await run('status (plain GET)', 'GET /api/video/status/[id]', server, database.name, statusClients(targets, false, CONNECTIONS).make);
    const t0 = Date.now();
    const cond = statusClients(targets, true, CONNECTIONS);
    const s = await run('status (If-None-Match)', 'GET /api/video/status/[id]', server, database.name, cond.make, {},
      { ready: cond.primed, maxWarmupMs: 60_000 });
    if (s) s.signedUrlBoundaryCrossed = boundaryCrossed(t0, Date.now());
    await run('health (after)', 'GET /api/health', server, database.name, health);
    // Latency at a given load (open loop): a closed loop of 64 clients has a mean latency of 64 ÷
    // throughput, so even the bare route's p99 is far above 25 ms. Offered a fixed rate a little above
    // each target's share of the bare route, the p99 says whether that share is served promptly.
    const bareRps = phases.find((x) => x.name === 'health (before)')!.load.rps;
    const openLoop = (share: number) => ({ rate: Math.round(bareRps * share) });
    const pctOf = (share: number) => `${Math.round(share * 100)}%`;
    await run(`generate, open loop at ${pctOf(OPEN_GENERATE)} of bare`, 'POST /api/video/generate', server, database.name,
      generateClients(gen), {}, openLoop(OPEN_GENERATE));
    await run(`status (plain GET), open loop at ${pctOf(OPEN_STATUS)} of bare`, 'GET /api/video/status/[id]', server, database.name,
      statusClients(targets, false, CONNECTIONS).make, {}, openLoop(OPEN_STATUS));
    const condOpen = statusClients(targets, true, CONNECTIONS);
    await run(`status (If-None-Match), open loop at ${pctOf(OPEN_STATUS)} of bare`, 'GET /api/video/status/[id]', server, database.name,
      condOpen.make, {}, { ...openLoop(OPEN_STATUS), ready: condOpen.primed, maxWarmupMs: 60_000 });
    // The bare route at the same rates: the p99 that the machine itself allows at that load.
    await run(`health, open loop at ${pctOf(OPEN_GENERATE)} of bare`, 'GET /api/health', server, database.name, health, {}, openLoop(OPEN_GENERATE));
    await run(`health, open loop at ${pctOf(OPEN_STATUS)} of bare`, 'GET /api/health', server, database.name, health, {}, openLoop(OPEN_STATUS));
    // Service time without queueing: one connection, so latency is not 64 ÷ throughput.
    const single = { connections: 1, durationMs: Math.min(DURATION_MS, 5_000) };
    await run('health, 1 connection', 'GET /api/health', server, database.name, health, {}, single);
    await run('generate, 1 connection', 'POST /api/video/generate', server, database.name, generateClients(gen), {}, single);
    await run('status (plain GET), 1 connection', 'GET /api/video/status/[id]', server, database.name, statusClients(targets, false, CONNECTIONS).make, {}, single);
    // Alternating rounds: each route measured right after its own bare-route run, so each ratio compares
    // runs seconds apart, and a machine whose speed drifts (steal, neighbours) moves both sides of it.
    const rounds: Round[] = [];
    if (ROUNDS > 0 && (!PHASES || PHASES.test('round'))) {
      const genR = persistentClients(generateClients(gen));
      const inm = statusClients(targets, true, CONNECTIONS);
      const inmR = persistentClients(inm.make);
      const plainR = persistentClients(statusClients(targets, false, CONNECTIONS).make);
      const short = { durationMs: ROUND_MS };
      for (let k = 1; k <= ROUNDS; k++) {
        const b = await phase(`round ${k}: health`, 'GET /api/health', server, database.name, health, {}, short);
        const bp = await phase(`round ${k}: health by POST`, 'POST /api/health', server, database.name, healthPost, {}, short);
        const g = await phase(`round ${k}: generate`, 'POST /api/video/generate', server, database.name, genR, {}, short);
        const c = await phase(`round ${k}: status (If-None-Match)`, 'GET /api/video/status/[id]', server, database.name, inmR, {},
          { ...short, ready: inm.primed, maxWarmupMs: 60_000 });
        const pl = await phase(`round ${k}: status (plain GET)`, 'GET /api/video/status/[id]', server, database.name, plainR, {}, short);
        rounds.push({ bare: b.load.rps, barePost: bp.load.rps, generate: g.load.rps, statusInm: c.load.rps, statusPlain: pl.load.rps,
          generateErrors: g.load.errors, statusErrors: c.load.errors + pl.load.errors, not304: c.load.requests - (c.load.statuses['304'] ?? 0) });
      }
    }

    // Latency-bounded throughput: the highest rate each keeps within a 25 ms p99.
    const sweeps: Sweep[] = [];
    if (SWEEP_STEPS > 0) {
      const http = (client: (i: number) => Client) => httpProbe({ port: server!.port, connections: CONNECTIONS, client, durationMs: SWEEP_MS });
      const lib = createPgDb(database.url, { max: 10 });
      try {
        const req = resolveRequest(loadConfig(), parseWith(generateVideoRequestSchema, { topic: 'Sweep: how volcanoes work', sceneCount: SCENES }));
        let n = 0;
        const candidates: Array<[string, (rate: number) => Promise<ProbeResult>]> = [
          ['health', http(health)],
          ['generate', http(generateClients(gen))],
          // The same accept without Next.js or HTTP: 64 owners, the route's call, at the same rates.
          ['createVideos in-process', callProbe(() => createVideos(lib, {
            ownerId: `sweep-${n++ % CONNECTIONS}`, requests: [req], maxAttempts: 3, startingCredits: 1_000_000_000, maxActive: 1_000_000_000, now: new Date(),
          }), SWEEP_MS)],
        ];
        for (const [name, probe] of candidates) {
          if (PHASES && !PHASES.test(`${name} sweep`)) continue;
          sweeps.push(await sweep({ name, hi: Math.round(bareRps), boundMs: 25, steps: SWEEP_STEPS, probe }));
        }
      } finally {
        await lib.close();
      }
    }
    const { peaks } = rss.stop();
    rss = undefined;
    await server.stop(10_000);
    server = undefined;

    // 3. Where the time goes.
    console.error('[profile] lib functions in-process…');
    const prof = PROFILE_MS === 0 ? null : await profile({ databaseUrl: database.url, dataDir, targets, concurrentMs: PROFILE_MS, env: NO_TRIP });

    const result: HttpBenchResult = {
      machine,
      params: { CONNECTIONS, SERVER_WARMUP_MS, WARMUP_MS, DURATION_MS, SCENES, STATUS_VIDEOS: targets.length, RENDER_MAX_MS, PROFILE_MS, ROUNDS, ROUND_MS, SWEEP_STEPS, SWEEP_MS, LOOP, env: { ...NO_TRIP } },
      build,
      render: render && { ...render, assets: render.assets && { ...render.assets, cookie: '(redacted)' } },
      renderQuiet,
      httpQuiet,
      targets: targets.map((t) => ({ id: t.id, state: t.state })),
      phases,
      rounds,
      sweeps,
      httpRss: { idleMb, peakMb: peaks.serverPeakMb, hwmMb: peaks.serverHwmMb },
      profile: prof,
      totalMs: elapsedMs(started),
    };
    const file = await writeResult('http', result);
    console.log(report(result, machineLine(machine)));
    console.log(`\nJSON: ${file}`);
  } finally {
    rss?.stop();
    await server?.stop(10_000).catch(() => {});
    monitor?.close();
    await database.drop().catch((err: unknown) => console.error(`could not drop ${database.name}:`, err));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // An embedded server (no BENCH_DATABASE_URL or TEST_DATABASE_URL) would otherwise keep the process alive.
  .finally(closeBenchServer);
