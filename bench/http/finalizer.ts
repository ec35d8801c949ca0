// npm run bench:http:finalizer — tail latency with and without the request finalizer bypass
// (lib/runtime/request-finalizer.ts), side by side: two `next start` servers on one database, one with
// REQUEST_FINALIZER_BYPASS=on (the default) and one with it off, probed in turn at the same open-loop
// rates, the order swapped every round, so each pair compares runs seconds apart on a machine whose
// speed drifts.
//
// Rates are shares of the bare route's closed-loop maximum, measured on the bypass server first.
// Knobs: BENCH_FINALIZER_ROUNDS (3), BENCH_FINALIZER_MS (10000 per probe, after a 2 s warm-up),
// BENCH_FINALIZER_SHARES (0.35,0.52), BENCH_HTTP_CONNECTIONS (64), BENCH_DATABASE_URL.
import '../lib/quiet';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, startServer, type ServerProcess } from '@/tests/helpers/server';
import { closeBenchServer, createBenchDatabase } from '../lib/db';
import { machineInfo, machineLine, waitForQuiet } from '../lib/machine';
import { fmt, markdownTable, writeResult } from '../lib/report';
import { median } from '../lib/stats';
import { BARE_AND_GENERATE, NO_TRIP, health } from './clients';
import { runLoad, type Client } from './load';

const ROUNDS = Number(process.env.BENCH_FINALIZER_ROUNDS ?? 3);
const PROBE_MS = Number(process.env.BENCH_FINALIZER_MS ?? 10_000);
const SHARES = (process.env.BENCH_FINALIZER_SHARES ?? '0.35,0.52').split(',').map(Number);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 64);
const SERVER_ENV = { ...NO_TRIP, SCHEDULER: 'off' };

type Arm = 'bypass on' | 'bypass off';
interface Probe {
  round: number;
  arm: Arm;
  route: string;
  share: number;
  rate: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

const routes = BARE_AND_GENERATE;

async function probe(server: ServerProcess, client: (i: number) => Client, rate?: number, durationMs = PROBE_MS) {
  return runLoad({ port: server.port, connections: CONNECTIONS, warmupMs: 2_000, durationMs, client, rate });
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  await ensureBuild({ timeoutMs: 900_000 });
  const database = await createBenchDatabase({ migrate: false });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-bench-finalizer-'));
  const servers: Partial<Record<Arm, ServerProcess>> = {};
  try {
    // One after the other: the first migrates the database.
    servers['bypass on'] = await startServer({ databaseUrl: database.url, dataDir, env: { ...SERVER_ENV, REQUEST_FINALIZER_BYPASS: 'on' } });
    servers['bypass off'] = await startServer({ databaseUrl: database.url, dataDir, env: { ...SERVER_ENV, REQUEST_FINALIZER_BYPASS: 'off' } });
    for (const arm of Object.keys(servers) as Arm[]) {
      for (const [, make] of routes) await probe(servers[arm]!, make(), undefined, 4_000);
    }
    await waitForQuiet('finalizer');
    const bare = (await probe(servers['bypass on']!, health)).rps;
    console.error(`[finalizer] bare route closed loop ${Math.round(bare)} req/s`);
    const probes: Probe[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const arms: Arm[] = round % 2 ? ['bypass on', 'bypass off'] : ['bypass off', 'bypass on'];
      for (const [route, make] of routes) {
        for (const share of SHARES) {
          for (const arm of arms) {
            const rate = Math.round(bare * share);
            const r = await probe(servers[arm]!, make(), rate);
            const p = { round, arm, route, share, rate, rps: r.rps, p50: r.latencyMs.p50, p99: r.latencyMs.p99, max: r.latencyMs.max, errors: r.errors };
            console.error(`[finalizer] round ${round} ${route} at ${rate} req/s, ${arm}: p99 ${fmt(p.p99)} ms, max ${fmt(p.max)} ms`);
            probes.push(p);
          }
        }
      }
    }
    const file = await writeResult('http-finalizer', { machine, params: { ROUNDS, PROBE_MS, SHARES, CONNECTIONS }, bare, probes });
    console.log(report(machineLine(machine), bare, probes));
    console.log(`\nJSON: ${file}`);
  } finally {
    for (const s of Object.values(servers)) await s?.stop(10_000);
    await database.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

function report(machine: string, bare: number, probes: Probe[]): string {
  const rows = routes.flatMap(([route]) =>
    SHARES.map((share) => {
      const of = (arm: Arm) => probes.filter((p) => p.route === route && p.share === share && p.arm === arm);
      const [on, off] = [of('bypass on'), of('bypass off')];
      const pairs = on.map((p, i) => `${fmt(p.p99)} / ${fmt(off[i]?.p99)}`).join(', ');
      return [route, `${on[0]?.rate ?? 0} (${Math.round(share * 100)}%)`, pairs,
        `**${fmt(median(on.map((p) => p.p99)))}** / ${fmt(median(off.map((p) => p.p99)))}`,
        `${fmt(median(on.map((p) => p.max)))} / ${fmt(median(off.map((p) => p.max)))}`,
        on.concat(off).reduce((n, p) => n + p.errors, 0)];
    }),
  );
  return [`# Request finalizer bypass, on / off\n\n${machine}\n\nBare route closed loop: ${Math.round(bare)} req/s. ` +
    `${CONNECTIONS} connections, open loop, ${PROBE_MS / 1000} s per probe, ${ROUNDS} rounds, order swapped each round.\n`,
  markdownTable(['Route', 'Rate req/s (share of bare)', 'p99 ms per round, on / off', 'Median p99 ms, on / off', 'Median max ms, on / off', 'Errors'], rows),
  ].join('\n');
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  // An embedded server (no BENCH_DATABASE_URL or TEST_DATABASE_URL) would otherwise keep the process alive.
  .finally(closeBenchServer);
