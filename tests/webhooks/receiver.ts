// A real HTTP receiver on a loopback address, and a fake DNS, for driving deliverWebhook end to end.
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { DnsLookup } from '@/lib/webhooks/ssrf';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** Counts TCP connections, not requests: proof that a refused delivery never even connected. */
  connections: number;
  close(): Promise<void>;
}

/** What the receiver does with each fully read request; leaving `res` unanswered holds it open. */
export type Handler = (req: Received, res: ServerResponse) => void;

const open: Receiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

export async function startReceiver(handler: Handler, host = '127.0.0.1'): Promise<Receiver> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      receiver.requests.push(received);
      handler(received, res);
    });
  });
  server.on('connection', () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://${host}:${port}`,
    port,
    requests: [],
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(receiver);
  return receiver;
}

export const reply = (status: number, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, headers).end('ok');
};

/** A DNS that knows only the given names; it records every name it was asked for. */
export function fakeDns(table: Record<string, string[]>): DnsLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup: DnsLookup = (hostname, _options, callback) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return queueMicrotask(() => callback(err, []));
    }
    queueMicrotask(() => callback(null, addresses.map((address) => ({ address, family: isIP(address) }))));
  };
  return Object.assign(lookup, { asked });
}
