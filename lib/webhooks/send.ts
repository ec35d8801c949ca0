// One POST to one URL, over node:http/https rather than fetch: only these let us hand the socket a
// lookup function, which is where the address check has to live to see the address actually used.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** The most of a receiver's reply we read; the rest is cut off so a chatty receiver costs us nothing. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HopResult {
  status: number;
  location?: string;
  retryAfter?: string;
}

export interface HopRequest {
  headers: Record<string, string>;
  body: string;
  lookup: LookupFunction;
  signal: AbortSignal;
}

/**
 * Resolves once the status is in and the reply is read (to the end or to the size cap). An abort
 * before the status rejects with the signal's reason; after it, the outcome is already decided,
 * so the status is returned and the rest of the body is abandoned.
 */
export function postOnce(url: URL, o: HopRequest): Promise<HopResult> {
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return reject(o.signal.reason);
    const client = url.protocol === 'https:' ? https : http;
    let result: HopResult | undefined;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      fn();
    };
    // agent: false gives each attempt a fresh connection, so every one goes through the lookup;
    // a pooled socket would carry an earlier decision over to a later request.
    const req = client.request(url, {
      method: 'POST',
      headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
      lookup: o.lookup,
      agent: false,
    });
    const onAbort = () => {
      const known = result;
      settle(() => (known ? resolve(known) : reject(o.signal.reason)));
      req.destroy();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });

    req.on('response', (res) => {
      const retryAfter = res.headers['retry-after'];
      const known: HopResult = { status: res.statusCode ?? 0, location: res.headers.location, retryAfter };
      result = known;
      let seen = 0;
      const done = () => {
        settle(() => resolve(known));
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= MAX_RESPONSE_BYTES) done();
      });
      // A reply cut short after its status line still answered the question we asked.
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    req.on('error', (err) => settle(() => reject(err)));
    req.end(o.body);
  });
}
