// npm run bench:http — the API routes' throughput and tail latency on a real `next start`, against the
// bare route (GET /api/health: static JSON, no database) on the same server in the same run.
//
// For each route: its maximum throughput (closed loop, BENCH_HTTP_CONNECTIONS connections), then its
// p99 at half of that rate (open loop, autocannon's overallRate, latencies corrected for coordinated
// omission). Routes: the bare route; status with If-None-Match (304) and without (200) over a few
// queued videos; generate (POST, every request creates a video). The scheduler is off so that no
// rendering competes, and the limits on creating videos are off or out of reach.
//
// Knobs: BENCH_HTTP_CONNECTIONS (32), BENCH_HTTP_SECONDS (10 per measurement), BENCH_HTTP_WARMUP_SECONDS
// (3 per route), BENCH_DATABASE_URL / TEST_DATABASE_URL (else an embedded PostgreSQL).
import autocannon, { type Request, type Result } from 'autocannon';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closeBenchServer, createBenchDatabase } from './lib/db';
import { machineInfo, machineLine } from './lib/machine';
import { fmt, markdownTable, writeResult } from './lib/report';
import { ensureBuild, startServer, type BenchServer, HTTP_BENCH_ENV } from './lib/server';

function envInt(name: string, def: number): number {
  const v = Number(process.env[name] ?? def);
  return Number.isInteger(v) && v > 0 ? v : def;
}

const CONNECTIONS = envInt('BENCH_HTTP_CONNECTIONS', 32);
const SECONDS = envInt('BENCH_HTTP_SECONDS', 10);
const WARMUP_SECONDS = envInt('BENCH_HTTP_WARMUP_SECONDS', 3);
const STATUS_VIDEOS = 20;

interface Route {
  name: string;
  /** The status every answer must have; anything else is counted as an error. */
  expect: number;
  requests: Request[];
}

interface Measured {
  /** Answers with the expected status per second. */
  rps: number;
  p50: number;
  p99: number;
  /** Answers with another status, socket errors and timeouts. */
  bad: number;
  /** 1-minute load average just before the measurement. */
  load: number;
}

async function measure(server: BenchServer, route: Route, seconds: number, overallRate?: number): Promise<Measured> {
  const load = os.loadavg()[0];
  const r: Result = await autocannon({
    url: server.baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    requests: route.requests,
    ...(overallRate ? { overallRate } : {}),
  });
  const good = r.statusCodeStats[String(route.expect)]?.count ?? 0;
  const all = Object.values(r.statusCodeStats).reduce((n, s) => n + Number(s.count), 0);
  return { rps: Number(good) / r.duration, p50: r.latency.p50, p99: r.latency.p99, bad: all - Number(good) + r.errors + r.timeouts, load };
}

/** The owner cookie (`name=value`) from an answer's Set-Cookie. */
function cookieOf(res: Response): string {
  const set = res.headers.getSetCookie()[0];
  if (!set) throw new Error(`no Set-Cookie on ${res.url} (${res.status})`);
  return set.split(';')[0]!;
}

const generateBody = (n: number) => JSON.stringify({ topic: `Bench ${n}: how volcanoes work`, sceneCount: 4 });

/** Queues a few videos (they stay queued: the scheduler is off) and reads each one's ETag. */
async function seedStatus(server: BenchServer, cookie: string): Promise<Array<{ id: string; etag: string }>> {
  const out: Array<{ id: string; etag: string }> = [];
  for (let i = 0; i < STATUS_VIDEOS; i++) {
    const res = await fetch(`${server.baseUrl}/api/video/generate`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: generateBody(-1 - i),
    });
    if (res.status !== 202) throw new Error(`seeding: generate answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const status = await fetch(`${server.baseUrl}/api/video/status/${id}`, { headers: { cookie } });
    const etag = status.headers.get('etag');
    if (status.status !== 200 || !etag) throw new Error(`seeding: status answered ${status.status} without an ETag`);
    out.push({ id, etag });
  }
  // A tag must hold still for the run, or If-None-Match would measure 200s.
  const again = await fetch(`${server.baseUrl}/api/video/status/${out[0]!.id}`, { headers: { cookie, 'if-none-match': out[0]!.etag } });
  if (again.status !== 304) throw new Error(`seeding: a repeated If-None-Match answered ${again.status}, not 304`);
  return out;
}

function routes(cookie: string, videos: Array<{ id: string; etag: string }>): Route[] {
  // autocannon sends each connection through `requests` in order, round and round; distinct bodies make
  // every generate request a new video (no Idempotency-Key, so no replays).
  const generate: Request[] = Array.from({ length: 100 }, (_, i) => ({
    method: 'POST', path: '/api/video/generate', headers: { cookie, 'content-type': 'application/json' }, body: generateBody(i),
  }));
  return [
    { name: 'bare: GET /api/health', expect: 200, requests: [{ method: 'GET', path: '/api/health' }] },
    {
      name: 'status, If-None-Match (304)', expect: 304,
      requests: videos.map((v) => ({ method: 'GET', path: `/api/video/status/${v.id}`, headers: { cookie, 'if-none-match': v.etag } })),
    },
    { name: 'status, plain (200)', expect: 200, requests: videos.map((v) => ({ method: 'GET', path: `/api/video/status/${v.id}`, headers: { cookie } })) },
    { name: 'generate: POST /api/video/generate', expect: 202, requests: generate },
  ];
}

interface Row {
  route: Route;
  max: Measured;
  half: Measured;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

function targetsTable(rows: Row[]): string {
  const [bare, inm, , gen] = rows;
  const t = (name: string, value: number, limit: string, pass: boolean) => [name, fmt(value, 2), limit, pass ? 'PASS' : 'MISS'];
  const genRatio = ratio(gen!.max.rps, bare!.max.rps);
  const inmRatio = ratio(inm!.max.rps, bare!.max.rps);
  const genP99 = ratio(gen!.half.p99, bare!.half.p99);
  const inmP99 = ratio(inm!.half.p99, bare!.half.p99);
  return markdownTable(['Target', 'Measured', 'Limit', ''], [
    t('generate max ÷ bare max', genRatio, '≥ 0.50', genRatio >= 0.5),
    t('status (304) max ÷ bare max', inmRatio, '≥ 0.70', inmRatio >= 0.7),
    t('generate p99 @ ½ own max ÷ bare p99 @ ½ own max', genP99, '≤ 2.00', genP99 <= 2),
    t('status (304) p99 @ ½ own max ÷ bare p99 @ ½ own max', inmP99, '≤ 2.00', inmP99 <= 2),
  ]);
}

function resultsTable(rows: Row[]): string {
  const bare = rows[0]!;
  return markdownTable(
    ['Route', 'Max req/s', '÷ bare', 'p99 at max, ms', 'Load (1 min)', 'Rate at ½ max', 'p50 at ½, ms', 'p99 at ½, ms', 'p99 at ½ ÷ bare', 'Load (1 min)', 'Bad answers'],
    rows.map((r) => [
      r.route.name, fmt(r.max.rps, 0), fmt(ratio(r.max.rps, bare.max.rps), 2), fmt(r.max.p99, 0), fmt(r.max.load, 2),
      Math.round(r.max.rps / 2), fmt(r.half.p50, 1), fmt(r.half.p99, 1), fmt(ratio(r.half.p99, bare.half.p99), 2), fmt(r.half.load, 2),
      r.max.bad + r.half.bad,
    ]),
  );
}

async function main(): Promise<void> {
  ensureBuild();
  const machine = await machineInfo();
  const database = await createBenchDatabase({ migrate: true });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-bench-http-'));
  let server: BenchServer | undefined;
  try {
    server = await startServer({ ...HTTP_BENCH_ENV, DATABASE_URL: database.url, DATA_DIR: dataDir });
    const cookie = cookieOf(await fetch(`${server.baseUrl}/api/me`));
    const list = routes(cookie, await seedStatus(server, cookie));
    for (const route of list) {
      console.error(`[http] warm-up ${route.name}`);
      await measure(server, route, WARMUP_SECONDS);
    }
    const rows: Row[] = [];
    for (const route of list) {
      const max = await measure(server, route, SECONDS);
      console.error(`[http] ${route.name}: max ${fmt(max.rps, 0)} req/s, p99 ${max.p99} ms (load ${fmt(max.load, 2)})`);
      const half = await measure(server, route, SECONDS, Math.max(1, Math.round(max.rps / 2)));
      console.error(`[http] ${route.name}: at ${Math.round(max.rps / 2)} req/s p99 ${half.p99} ms (load ${fmt(half.load, 2)})`);
      rows.push({ route, max, half });
    }
    console.log(`# bench:http\n\n${machine.date}, ${machineLine(machine)}\n`);
    console.log(`${CONNECTIONS} connections, ${SECONDS} s per measurement after ${WARMUP_SECONDS} s of warm-up per route; ` +
      `load generator (autocannon), server and PostgreSQL share this machine's CPUs.\n`);
    console.log(`${resultsTable(rows)}\n\n${targetsTable(rows)}\n`);
    const file = await writeResult('http', { machine, params: { CONNECTIONS, SECONDS, WARMUP_SECONDS }, rows: rows.map((r) => ({ route: r.route.name, max: r.max, half: r.half })) });
    console.log(`JSON: ${file}`);
  } finally {
    await server?.stop();
    await database.drop().catch((err: unknown) => console.error(`could not drop ${database.name}:`, err));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(closeBenchServer);
