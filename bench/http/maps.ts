// npm run bench:http:maps — how many new V8 maps (hidden classes) each request makes, and where.
// One `next start` under `node --log-maps`; each route is driven unrecorded first, then for a window
// whose slice of the log is read back (bench/http/map-log.ts). In steady state a request should make
// none: maps are allocated old and only full GCs free them, and the objects they describe stay
// reachable from old space until then, which is what bench:http's "old space per request" counts.
//
// Knobs: BENCH_MAPS_MS (5000 per route), BENCH_MAPS_WARMUP_MS (3000), BENCH_MAPS_CONNECTIONS (8),
// BENCH_MAPS_TOP (12 sources per route), BENCH_DATABASE_URL.
import '../lib/quiet';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, startServer, type ServerProcess } from '@/tests/helpers/server';
import { closeBenchServer, createBenchDatabase } from '../lib/db';
import { machineInfo, machineLine } from '../lib/machine';
import { fmt, markdownTable, writeResult } from '../lib/report';
import { BARE_AND_GENERATE, NO_TRIP } from './clients';
import { runLoad, type Client } from './load';
import { mapSources, type MapSource } from './map-log';

const WINDOW_MS = Number(process.env.BENCH_MAPS_MS ?? 5_000);
const WARMUP_MS = Number(process.env.BENCH_MAPS_WARMUP_MS ?? 3_000);
const CONNECTIONS = Number(process.env.BENCH_MAPS_CONNECTIONS ?? 8);
const TOP = Number(process.env.BENCH_MAPS_TOP ?? 12);

const routes = BARE_AND_GENERATE;

interface RouteMaps {
  route: string;
  requests: number;
  events: number;
  created: number;
  sources: MapSource[];
}

async function measure(server: ServerProcess, logFile: string, route: string, make: () => (i: number) => Client): Promise<RouteMaps> {
  await runLoad({ port: server.port, connections: CONNECTIONS, warmupMs: 0, durationMs: WARMUP_MS, client: make() });
  const from = (await fs.stat(logFile)).size;
  const load = await runLoad({ port: server.port, connections: CONNECTIONS, warmupMs: 0, durationMs: WINDOW_MS, client: make() });
  const log = await fs.readFile(logFile);
  const all = log.toString('utf8').split('\n');
  const window = log.subarray(from).toString('utf8').split('\n');
  const { events, created, sources } = mapSources(all, window);
  console.error(`[maps] ${route}: ${load.requests} requests, ${fmt(events / Math.max(1, load.requests), 1)} map events each`);
  return { route, requests: load.requests, events, created, sources: sources.slice(0, TOP) };
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  await ensureBuild({ timeoutMs: 900_000 });
  const database = await createBenchDatabase({ migrate: false });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-bench-maps-'));
  const logFile = path.join(dataDir, 'v8-maps.log');
  let server: ServerProcess | undefined;
  try {
    server = await startServer({
      databaseUrl: database.url, dataDir, env: { ...NO_TRIP, SCHEDULER: 'off' },
      nodeArgs: ['--log-maps', '--no-log-maps-details', `--logfile=${logFile}`, '--no-logfile-per-isolate'],
      readyTimeoutMs: 60_000,
    });
    const results: RouteMaps[] = [];
    for (const [route, make] of routes) results.push(await measure(server, logFile, route, make));
    const file = await writeResult('http-maps', { machine, params: { WINDOW_MS, WARMUP_MS, CONNECTIONS, TOP }, results });
    console.log(report(machineLine(machine), results));
    console.log(`\nJSON: ${file}`);
  } finally {
    await server?.stop(10_000);
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

function report(machine: string, results: RouteMaps[]): string {
  const out = [`# New V8 maps per request\n\n${machine}\n\nOne \`next start\` under \`node --log-maps\`, ${CONNECTIONS} connections, ` +
    `closed loop, ${WARMUP_MS / 1000} s unrecorded then ${WINDOW_MS / 1000} s per route.\n`];
  out.push(markdownTable(['Route', 'Requests', 'Map events per request', 'Maps created per request'],
    results.map((r) => [r.route, String(r.requests), fmt(r.events / Math.max(1, r.requests), 1), fmt(r.created / Math.max(1, r.requests), 1)])));
  for (const r of results) {
    out.push(`\n## ${r.route}: where they come from\n`);
    out.push(markdownTable(['Per request', 'Event', 'Reason', 'Property', 'In'],
      r.sources.map((s) => [fmt(s.count / Math.max(1, r.requests), 2), s.event, s.reason || '–', s.property || '–', s.at])));
  }
  return out.join('\n');
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // An embedded server (no BENCH_DATABASE_URL or TEST_DATABASE_URL) would otherwise keep the process alive.
  .finally(closeBenchServer);
