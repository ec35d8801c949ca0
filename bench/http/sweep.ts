// The highest rate at which something keeps its p99 within a bound (25 ms for enqueue, issue 6), found
// by bisection with open-loop probes. Run for the bare route, it says what this machine allows at all;
// run for createVideos in-process (no Next.js, no HTTP), it gives the floor the database and the lib
// put under the route.
import { waitForQuiet } from '../lib/machine';
import { summarize, type Summary } from '../lib/stats';
import { persistentClients, runLoad, type Client } from './load';

export interface ProbeResult {
  rps: number;
  latencyMs: Summary;
  errors: number;
}

export interface SweepProbe {
  rate: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ok: boolean;
}

export interface Sweep {
  name: string;
  boundMs: number;
  /** The highest probed rate that passed (0 if none did). */
  rate: number;
  probes: SweepProbe[];
}

export async function sweep(o: { name: string; hi: number; boundMs: number; steps: number; probe(rate: number): Promise<ProbeResult> }): Promise<Sweep> {
  let lo = 0;
  let hi = o.hi;
  const probes: SweepProbe[] = [];
  for (let i = 0; i < o.steps; i++) {
    const rate = Math.max(1, Math.round((lo + hi) / 2));
    await waitForQuiet(`${o.name} sweep`, { maxWaitMs: 20_000 });
    const r = await o.probe(rate);
    // Passing means serving the rate offered (not falling behind it) with the tail inside the bound.
    const ok = r.latencyMs.p99 <= o.boundMs && r.errors === 0 && r.rps >= rate * 0.97;
    probes.push({ rate, rps: r.rps, p50: r.latencyMs.p50, p99: r.latencyMs.p99, errors: r.errors, ok });
    console.error(`[${o.name} sweep] ${rate}/s offered: p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms → ${ok ? 'pass' : 'fail'}`);
    if (ok) lo = rate;
    else hi = rate;
  }
  return { name: o.name, boundMs: o.boundMs, rate: lo, probes };
}

/** HTTP probes. Clients are kept across probes, so each probe measures warm clients (cookies held). */
export function httpProbe(o: { port: number; connections: number; client(i: number): Client; durationMs: number }) {
  const client = persistentClients(o.client);
  return (rate: number): Promise<ProbeResult> =>
    runLoad({ port: o.port, connections: o.connections, warmupMs: 1_000, durationMs: o.durationMs, client, rate });
}

/** In-process probes: `call` is started at a fixed rate, latency counted from when each call was due. */
export function callProbe(call: () => Promise<unknown>, durationMs: number) {
  return async (rate: number): Promise<ProbeResult> => {
    const warmupMs = 1_000;
    const t0 = performance.now();
    const windowStart = t0 + warmupMs;
    const windowEnd = windowStart + durationMs;
    const latencies: number[] = [];
    let errors = 0;
    const running: Promise<void>[] = [];
    for (let k = 0; ; k++) {
      const due = t0 + (k * 1000) / rate;
      if (due >= windowEnd) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      running.push(call().then(
        () => {
          const end = performance.now();
          if (end >= windowStart && end < windowEnd) latencies.push(end - due);
        },
        () => void errors++,
      ));
    }
    await Promise.all(running);
    return { rps: (latencies.length / durationMs) * 1000, latencyMs: summarize(latencies), errors };
  };
}
