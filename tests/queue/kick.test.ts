// Kicks on Vercel: each is a request to the process-queue route that the kicker stops waiting for
// once dispatched, while the invocation keeps running.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kickAfterResponse } from '@/lib/api/after';
import { httpKicker, noKicker, schedulerKicker } from '@/lib/queue/kick';
import { Scheduler } from '@/lib/queue/scheduler';

let server: http.Server;
let base: string;
const received: http.IncomingHttpHeaders[] = [];
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received.push(req.headers);
    held.push(res); // a long invocation: the answer comes much later
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  held.forEach((r) => r.end());
  await new Promise((r) => server.close(r));
});

describe('httpKicker', () => {
  it('fans out N authenticated POSTs and returns once they are dispatched, not when they finish', async () => {
    const kicker = httpKicker({ baseUrl: base, cronSecret: 'sekret', protectionBypass: 'bypass-token', dispatchMs: 200 });
    const started = Date.now();
    await kicker.kick(3);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(received).toHaveLength(3);
    for (const h of received) {
      expect(h.authorization).toBe('Bearer sekret');
      expect(h['x-vercel-protection-bypass']).toBe('bypass-token');
      expect(h['x-cueframe-trigger']).toBe('kick');
      expect(h.traceparent).toBeUndefined();
    }
  });

  it('sends the trace it is given as a traceparent header, so the invocation joins that trace', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const before = received.length;
    await httpKicker({ baseUrl: base, dispatchMs: 200 }).kick(2, traceparent);
    expect(received.slice(before).map((h) => h.traceparent)).toEqual([traceparent, traceparent]);
    const deferred: Array<() => Promise<void>> = [];
    kickAfterResponse(httpKicker({ baseUrl: base, dispatchMs: 200 }), 1, { traceparent, defer: (fn) => void deferred.push(fn) });
    await deferred[0]!();
    expect(received.slice(before + 2).map((h) => h.traceparent)).toEqual([traceparent]);
  });

  it('a kick that cannot connect is logged, never thrown: cron sweeps up', async () => {
    const kicker = httpKicker({ baseUrl: 'http://127.0.0.1:1', dispatchMs: 200 });
    await expect(kicker.kick(1)).resolves.toBeUndefined();
  });
});

describe('kickAfterResponse', () => {
  it('wakes a local scheduler at once, without registering after-response work', async () => {
    let runs = 0;
    const scheduler = new Scheduler({ concurrency: 1, pollMs: 60_000, runOnce: async () => (runs++, false) });
    const deferred: Array<() => Promise<void>> = [];
    scheduler.start();
    try {
      // The first pass runs at start; once this turn of the event loop is over, the loop is asleep for a minute.
      await new Promise((r) => setImmediate(r));
      expect(runs).toBe(1);
      kickAfterResponse(schedulerKicker(scheduler), 2, { defer: (fn) => void deferred.push(fn) });
      await expect.poll(() => runs).toBe(2);
      expect(deferred).toEqual([]);
      kickAfterResponse(noKicker, 1, { defer: (fn) => void deferred.push(fn) });
      expect(deferred).toEqual([]);
    } finally {
      await scheduler.stop();
    }
  });

  it('hands an HTTP kick to after-response work, since it must outlive the answer', async () => {
    const deferred: Array<() => Promise<void>> = [];
    const before = received.length;
    kickAfterResponse(httpKicker({ baseUrl: base, dispatchMs: 200 }), 1, { defer: (fn) => void deferred.push(fn) });
    expect(deferred).toHaveLength(1);
    expect(received.length).toBe(before); // nothing sent until the response is done
    await deferred[0]!();
    await expect.poll(() => received.length).toBe(before + 1);
    kickAfterResponse(httpKicker({ baseUrl: base }), 0, { defer: (fn) => void deferred.push(fn) });
    expect(deferred).toHaveLength(1); // nothing to start, nothing deferred
  });
});
