// A small HTTP/1.1 load generator for bench:http (no dependency; raw keep-alive sockets to 127.0.0.1
// only, see wire.ts). Two modes:
//  - closed loop (default): N connections, each sending its next request as soon as the previous answer
//    has been read in full. Throughput is the server's maximum; latency is then N ÷ throughput by
//    Little's law, whatever the server does.
//  - open loop (`rate`): requests are due at a fixed rate, wrk2-style, and go out on whichever of the N
//    connections is free. Latency runs from when a request was due, not when it was sent, so time spent
//    waiting for a free connection counts (no coordinated omission). This is latency at a given load.
// Requests that complete during the warm-up are not recorded; a request is recorded when it completes
// inside the measured window, and no request starts after it.
import type http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summarize, type Summary } from '../lib/stats';
import { WireConnection } from './wire';

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
}

/** One simulated client: what it sends next, and what it learns from each answer (cookies, ETags). */
export interface Client {
  next(): Req;
  done?(req: Req, res: Res): void;
}

export interface LoadOptions {
  port: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  client(index: number): Client;
  /** Called when the measured window opens and when it closes (CPU snapshots and the like). */
  onWindow?(edge: 'start' | 'end'): void;
  /**
   * Keeps warming up past warmupMs until this returns true (say, every client has seen every ETag once),
   * but never past maxWarmupMs.
   */
  ready?(): boolean;
  maxWarmupMs?: number;
  /** A request still unanswered after this long fails (and is counted as an error). */
  timeoutMs?: number;
  /** Open loop: requests per second offered, spread evenly; omitted = closed loop. */
  rate?: number;
}

export interface LoadResult {
  connections: number;
  /** Open loop: the rate offered (requests/s); null for a closed loop. */
  offeredRps: number | null;
  /** The warm-up as it actually ran (longer than asked when `ready` held the window back). */
  warmupMs: number;
  /** Whether `ready` was true when the window opened (false: maxWarmupMs ran out first). */
  readyAtStart: boolean;
  windowMs: number;
  /** Requests completed inside the window, and per second. */
  requests: number;
  rps: number;
  latencyMs: Summary;
  /** Response status → count, inside the window. */
  statuses: Record<string, number>;
  /** Mean response body bytes per status inside the window. */
  meanBodyBytes: Record<string, number>;
  /** Transport errors and timeouts inside the window (never silently dropped). */
  errors: number;
  errorSamples: string[];
  /** Every request that completed, warm-up included. */
  totalRequests: number;
  /**
   * This process's event-loop delay inside the window (5 ms resolution). A request's latency ends when
   * this loop reads the answer, so a late loop here adds to every latency and is not the server's.
   */
  clientLoopDelayMs: { p50: number; p99: number; max: number };
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const t0 = performance.now();
  // Set when the window opens; until then nothing is recorded, and the loops keep going.
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  const maxWarmupMs = Math.max(o.warmupMs, o.maxWarmupMs ?? o.warmupMs);
  let readyAtStart = true;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const bodyBytes: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let total = 0;

  let endTimer: NodeJS.Timeout | undefined;
  let ended = false;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const close = () => {
    if (ended) return;
    ended = true;
    delay.disable();
    o.onWindow?.('end');
  };
  const open = () => {
    delay.enable();
    windowStart = performance.now();
    windowEnd = windowStart + o.durationMs;
    o.onWindow?.('start');
    endTimer = setTimeout(close, o.durationMs);
  };
  const startTimer = setInterval(() => {
    const waited = performance.now() - t0;
    if (waited < o.warmupMs) return;
    const ready = o.ready ? o.ready() : true;
    if (ready || waited >= maxWarmupMs) {
      readyAtStart = ready;
      clearInterval(startTimer);
      open();
    }
  }, 5);

  // Open loop: request k is due at t0 + k / rate, and the next free connection takes the next due slot.
  const interval = o.rate ? 1000 / o.rate : 0;
  let slot = 0;
  const due = async (): Promise<number> => {
    if (!interval) return performance.now();
    const at = t0 + slot++ * interval;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Late (the usual case after a timer): latency runs from when it was due. Early (a wait under 1 ms
    // is not slept): it runs from now, when the request really goes out.
    return Math.min(at, performance.now());
  };

  const sockets: WireConnection[] = []; // one per loop, closed when the run ends
  async function loop(i: number): Promise<void> {
    const client = o.client(i);
    const conn = new WireConnection(o.port);
    sockets.push(conn);
    // Bounded by time: the window opens by maxWarmupMs at the latest, and no request starts after it closes.
    while (performance.now() < windowEnd) {
      const start = await due();
      if (performance.now() >= windowEnd) break;
      const req = client.next();
      try {
        const res = await conn.send(req, timeoutMs);
        const end = performance.now();
        total++;
        client.done?.(req, res);
        if (end >= windowStart && end < windowEnd) {
          latencies.push(end - start);
          const k = String(res.status);
          statuses[k] = (statuses[k] ?? 0) + 1;
          bodyBytes[k] = (bodyBytes[k] ?? 0) + res.bytes;
        }
      } catch (err) {
        const end = performance.now();
        if (end >= windowStart && end < windowEnd) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push((err as Error).message);
        }
        await new Promise((r) => setTimeout(r, 10)); // a refused connection must not spin
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: o.connections }, (_, i) => loop(i)));
    close(); // the loops end only after the window has closed, possibly a moment before the timer fires
  } finally {
    clearInterval(startTimer);
    clearTimeout(endTimer);
    for (const c of sockets) c.close();
  }
  const windowMs = o.durationMs;
  const meanBodyBytes: Record<string, number> = {};
  for (const [k, n] of Object.entries(statuses)) meanBodyBytes[k] = bodyBytes[k]! / n;
  return {
    connections: o.connections,
    offeredRps: o.rate ?? null,
    warmupMs: windowStart - t0,
    readyAtStart,
    windowMs,
    requests: latencies.length,
    rps: (latencies.length / windowMs) * 1000,
    latencyMs: summarize(latencies),
    statuses,
    meanBodyBytes,
    errors,
    errorSamples,
    totalRequests: total,
    clientLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
  };
}

/**
 * The same client for the same connection index across runs, so a later run starts warm (cookies and
 * ETags held) instead of as 64 first-time visitors.
 */
export function persistentClients(make: (index: number) => Client): (index: number) => Client {
  const clients = new Map<number, Client>();
  return (i) => clients.get(i) ?? clients.set(i, make(i)).get(i)!;
}

/** `cf_owner=…` from a response's Set-Cookie headers, ready for a Cookie header; undefined if none. */
export function ownerCookie(headers: http.IncomingHttpHeaders | Headers): string | undefined {
  const list = headers instanceof Headers ? headers.getSetCookie() : headers['set-cookie'] ?? [];
  const c = list.find((v) => v.startsWith('cf_owner='));
  return c ? c.split(';')[0] : undefined;
}
