// bench:http's raw-socket client: it must read every answer the way node:http would, or the bench
// would count wrong statuses, lose cookies and ETags, or hang on a body it misjudged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireConnection } from '@/bench/http/wire';

let server: http.Server;
let port: number;
const seen: Array<{ method?: string; url?: string; body: string; headers: http.IncomingHttpHeaders }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body, headers: req.headers });
      switch (req.url) {
        case '/length':
          res.writeHead(202, { 'content-type': 'application/json', 'content-length': '11', 'set-cookie': ['a=1; Path=/', 'b=2'] });
          return res.end('{"ok":true}');
        case '/chunked':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('x'.repeat(70_000)); // larger than one read, so the parser sees partial chunks
          res.write('yz');
          return res.end();
        case '/not-modified':
          res.writeHead(304, { etag: '"v1"' });
          return res.end();
        case '/close':
          res.writeHead(200, { connection: 'close', 'content-length': '2' });
          return res.end('ok');
        case '/silent':
          return; // never answers
        default:
          res.writeHead(404, { 'content-length': '0' });
          return res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Runs `fn` on a fresh connection and always closes it, so one failed test leaves no socket open. */
async function onConnection(fn: (c: WireConnection) => Promise<void>): Promise<void> {
  const c = new WireConnection(port);
  try {
    await fn(c);
  } finally {
    c.close();
  }
}

describe('WireConnection', () => {
  it('sends the method, path, headers and body, and reads a Content-Length answer with its cookies', () =>
    onConnection(async (c) => {
      const res = await c.send({ method: 'POST', path: '/length', headers: { 'content-type': 'application/json', cookie: 'x=y' }, body: '{"topic":"é"}' }, 2_000);
      expect(res.status).toBe(202);
      expect(res.bytes).toBe(11);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
      const req = seen.at(-1)!;
      expect(req).toMatchObject({ method: 'POST', url: '/length', body: '{"topic":"é"}' });
      expect(req.headers).toMatchObject({ cookie: 'x=y', 'content-length': String(Buffer.byteLength('{"topic":"é"}')) });
    }));

  it('reads chunked and bodiless answers in turn on one kept-alive socket', () =>
    onConnection(async (c) => {
      const a = await c.send({ method: 'GET', path: '/chunked' }, 2_000);
      const b = await c.send({ method: 'GET', path: '/not-modified', headers: { 'if-none-match': '"v1"' } }, 2_000);
      const d = await c.send({ method: 'GET', path: '/length' }, 2_000);
      expect([a.status, a.bytes]).toEqual([200, 70_002]);
      expect([b.status, b.bytes, b.headers.etag]).toEqual([304, 0, '"v1"']);
      expect([d.status, d.bytes]).toEqual([202, 11]);
      expect(new Set(seen.slice(-3).map((s) => s.headers.host))).toEqual(new Set([`127.0.0.1:${port}`]));
    }));

  it('opens a new socket after the server closes one', () =>
    onConnection(async (c) => {
      expect((await c.send({ method: 'GET', path: '/close' }, 2_000)).status).toBe(200);
      expect((await c.send({ method: 'GET', path: '/length' }, 2_000)).status).toBe(202);
    }));

  it('fails a request that is not answered in time, and the connection still works afterwards', () =>
    onConnection(async (c) => {
      await expect(c.send({ method: 'GET', path: '/silent' }, 200)).rejects.toThrow('no answer within 200 ms');
      expect((await c.send({ method: 'GET', path: '/length' }, 2_000)).status).toBe(202);
    }));

  it('refuses a second request while one is in flight', () =>
    onConnection(async (c) => {
      const first = c.send({ method: 'GET', path: '/length' }, 2_000);
      await expect(c.send({ method: 'GET', path: '/length' }, 2_000)).rejects.toThrow('already in flight');
      expect((await first).status).toBe(202);
    }));

  it('fails when nothing listens on the port', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const c = new WireConnection(closedPort);
    await expect(c.send({ method: 'GET', path: '/' }, 2_000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
