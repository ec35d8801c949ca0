// Kicks on Vercel: each is a request to the process-queue route that the kicker stops waiting for
// once dispatched, while the invocation keeps running.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpKicker } from '@/lib/queue/kick';

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
    }
  });

  it('a kick that cannot connect is logged, never thrown: cron sweeps up', async () => {
    const kicker = httpKicker({ baseUrl: 'http://127.0.0.1:1', dispatchMs: 200 });
    await expect(kicker.kick(1)).resolves.toBeUndefined();
  });
});
