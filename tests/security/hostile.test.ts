// Hostile requests across every public route: each gets the documented 4xx with the one JSON error
// shape, and none of them writes a single row (every table is fingerprinted before and after).
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as FILES } from '@/app/api/files/[...key]/route';
import { GET as ME } from '@/app/api/me/route';
import { DELETE as DEL } from '@/app/api/video/[id]/route';
import { POST as APPROVE } from '@/app/api/video/[id]/approve/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { PATCH as SCENES } from '@/app/api/video/[id]/scenes/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { DELETE as SHARE_DELETE, GET as SHARE_GET, POST as SHARE_POST } from '@/app/api/video/[id]/share/route';
import { POST as ESTIMATE } from '@/app/api/video/estimate/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as QUEUE_GET, POST as QUEUE_POST } from '@/app/api/video/process-queue/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { GET as LIST } from '@/app/api/videos/route';
import { createToken, revokeToken } from '@/lib/auth/tokens';
import { isLocalStorage } from '@/lib/storage/local';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { expectErrorResponse, fingerprint, send, type ErrorExpectation, type Spec } from './kit';

const CRON_SECRET = 'cron-secret-0123456789abcdef';
const T0 = Date.parse('2031-03-01T12:00:00Z');
const SENTINEL = 'SENTINEL-outside-the-store-7f3a9c';
/** Clients whose limits beforeAll uses up. */
const LIMITED = { generate: '203.0.113.70', estimate: '203.0.113.71', grants: '203.0.113.72', grants6: '2001:db8:77:1::1' };
/** The limits, low enough to reach in beforeAll, and one trusted proxy so that tests can name clients. */
const LIMITS = {
  TRUST_PROXY: '1', RATE_LIMIT_GENERATE_PER_MINUTE: '2', RATE_LIMIT_ESTIMATE_PER_MINUTE: '2', ANON_GRANTS_PER_IP_PER_DAY: '1',
};

let t: TestDatabase;
let app: TestApp;
let clockMs = T0;

/** What the cases need, made in beforeAll. */
const fx = {
  cookie: '',
  ownerId: '',
  videoId: '',
  /** The owner's other video, cancelled. */
  cancelledId: '',
  /** The owner's finished video, not shared: a share that got through would add a row. */
  completedId: '',
  revokedToken: '',
  unknownToken: `cf_${'A'.repeat(43)}`,
  privateKey: '',
  otherPrivateKey: '',
  /** A genuine signed link to privateKey (path and query), valid until T0 + 600 s. */
  signed: '',
};

const routes = {
  generate: GENERATE, estimate: ESTIMATE, status: STATUS, list: LIST, cancel: CANCEL, retry: RETRY, del: DEL,
  files: FILES, queueGet: QUEUE_GET, queuePost: QUEUE_POST, me: ME, approve: APPROVE, scenes: SCENES,
  shareGet: SHARE_GET, sharePost: SHARE_POST, shareDelete: SHARE_DELETE,
} as const;
type RouteName = keyof typeof routes;

interface Req extends Spec {
  route: RouteName;
  /** Send the existing owner's cookie (default true, except for cron and files). */
  cookie?: boolean;
  /** Extra checks after the response, e.g. on how much of a streamed body was read, or its headers. */
  check?: (res: Response) => void;
  /** The app's clock for this request only. */
  at?: number;
}

interface Case extends ErrorExpectation {
  name: string;
  req: () => Req;
}

// ---------------------------------------------------------------------------------------------------
// Request builders

const json = (route: 'generate' | 'estimate', body: BodyInit, headers: Record<string, string> = {}): Req => ({
  route, url: `/api/video/${route}`, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers },
});
const gen = (body: unknown, headers?: Record<string, string>) => json('generate', JSON.stringify(body), headers);
const est = (body: unknown) => json('estimate', JSON.stringify(body));
const withId = (route: 'status' | 'cancel' | 'retry' | 'del' | 'approve', id: string, headers: Record<string, string> = {}): Req => ({
  route,
  url: route === 'status' ? `/api/video/status/${encodeURIComponent(id)}`
    : route === 'del' ? `/api/video/${encodeURIComponent(id)}` : `/api/video/${encodeURIComponent(id)}/${route}`,
  method: route === 'status' ? 'GET' : route === 'del' ? 'DELETE' : 'POST',
  params: { id },
  headers,
});
/** PATCH /api/video/[id]/scenes with a raw body. */
const scenes = (id: string, body: BodyInit, headers: Record<string, string> = {}): Req => ({
  route: 'scenes', url: `/api/video/${encodeURIComponent(id)}/scenes`, method: 'PATCH', params: { id }, body,
  headers: { 'content-type': 'application/json', ...headers },
});
const edit = (id: string, body: unknown, headers?: Record<string, string>) => scenes(id, JSON.stringify(body), headers);
const cancelIf = (id: string, body: unknown): Req => ({
  ...withId('cancel', id), body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
});
const list = (qs: string, headers: Record<string, string> = {}): Req => ({ route: 'list', url: `/api/videos${qs}`, headers });
const shareReq = (method: 'GET' | 'POST' | 'DELETE', id: string, headers: Record<string, string> = {}): Req => ({
  route: method === 'GET' ? 'shareGet' : method === 'POST' ? 'sharePost' : 'shareDelete',
  url: `/api/video/${encodeURIComponent(id)}/share`, method, params: { id }, headers,
});
const me = (headers: Record<string, string>, cookie = false): Req => ({ route: 'me', url: '/api/me', headers, cookie });
const cron = (route: 'queueGet' | 'queuePost', authorization?: string, extra: Record<string, string> = {}): Req => ({
  route, url: '/api/video/process-queue', method: route === 'queueGet' ? 'GET' : 'POST', cookie: false,
  headers: { ...(authorization === undefined ? {} : { authorization }), ...extra },
});
/** The files route as Next.js calls it: the catch-all segments, already decoded, as params. */
const file = (urlPath: string, key: string[]): Req => ({ route: 'files', url: urlPath, params: { key }, cookie: false });
/** A genuine link with one query parameter changed (or removed, with null). */
function tamper(param: string, value: string | null, append = false): Req {
  const u = new URL(fx.signed, 'http://x');
  if (value === null) u.searchParams.delete(param);
  else if (append) u.searchParams.append(param, value);
  else u.searchParams.set(param, value);
  return file(u.pathname + u.search, fx.privateKey.split('/'));
}
const cursor = (c: unknown, i: unknown) => Buffer.from(JSON.stringify({ c, i })).toString('base64url');

/** A body that arrives in 8 KB chunks with no Content-Length, recording how much of it the server pulled. */
function chunked(totalBytes: number) {
  const stats = { pulled: 0, cancelled: false, chunks: Math.ceil(totalBytes / 8192) };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (sent >= totalBytes) return c.close();
        const n = Math.min(8192, totalBytes - sent);
        const chunk = new Uint8Array(n).fill(0x20); // JSON whitespace: only the size can be wrong
        if (sent === 0) chunk.set(new TextEncoder().encode('{"topic":"x","description":"'));
        sent += n;
        stats.pulled++;
        c.enqueue(chunk);
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

const big = JSON.stringify({ topic: 'x', description: 'y'.repeat(70 * 1024) });
const deepObject = `{"topic":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const valid = { topic: 'A valid one', sceneCount: 2 };
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

// ---------------------------------------------------------------------------------------------------
// The table

const V = { status: 422, code: 'validation_failed' } as const;
const NF = { status: 404, code: 'not_found' } as const;
const FORBID = { status: 403, code: 'forbidden' } as const;
const UNAUTH = { status: 401, code: 'unauthorized' } as const;

const cases: Case[] = [
  // --- content type, syntax, encoding
  { name: 'generate: text/plain body', status: 415, code: 'unsupported_media_type',
    req: () => ({ ...gen(valid), headers: { 'content-type': 'text/plain' } }) },
  { name: 'estimate: multipart form body', status: 415, code: 'unsupported_media_type',
    req: () => ({ route: 'estimate', url: '/api/video/estimate', method: 'POST', body: (() => { const f = new FormData(); f.set('topic', 'x'); return f; })() }) },
  { name: 'generate: a JSON look-alike type (application/json-patch+json)', status: 415, code: 'unsupported_media_type',
    req: () => ({ ...gen(valid), headers: { 'content-type': 'application/json-patch+json' } }) },
  { name: 'estimate: malformed JSON', status: 400, code: 'invalid_json', req: () => json('estimate', '{"topic": "x", }') },
  { name: 'generate batch: trailing comma in the array', status: 400, code: 'invalid_json', req: () => json('generate', '[{"topic":"x"},]') },
  { name: 'generate: empty body', status: 400, code: 'invalid_json', req: () => json('generate', '') },
  { name: 'generate: two JSON documents back to back', status: 400, code: 'invalid_json', req: () => json('generate', '{"topic":"a"}{"topic":"b"}') },
  { name: 'estimate: invalid UTF-8 (overlong "/" C0 AF)', status: 400, code: 'invalid_json',
    req: () => json('estimate', bytes('{"topic":"', [0xc0, 0xaf], '"}')) },
  { name: 'generate batch: invalid UTF-8 (encoded surrogate ED A0 80)', status: 400, code: 'invalid_json',
    req: () => json('generate', bytes('[{"topic":"', [0xed, 0xa0, 0x80], '"}]')) },
  { name: 'generate: invalid UTF-8 (truncated 4-byte sequence F0 9F 8E)', status: 400, code: 'invalid_json',
    req: () => json('generate', bytes('{"topic":"ok', [0xf0, 0x9f, 0x8e], '"}')) },

  // --- schema violations, each naming its field
  { name: 'estimate: topic missing', ...V, field: 'topic', req: () => est({ sceneCount: 2 }) },
  { name: 'estimate: sceneCount 1e308', ...V, field: 'sceneCount', req: () => json('estimate', '{"topic":"x","sceneCount":1e308}') },
  { name: 'generate: sceneCount 1e309 (parses to Infinity)', ...V, field: 'sceneCount', req: () => json('generate', '{"topic":"x","sceneCount":1e309}') },
  { name: 'generate: sceneCount 2**53+1', ...V, field: 'sceneCount', req: () => json('generate', '{"topic":"x","sceneCount":9007199254740993}') },
  { name: 'generate: sceneCount -0', ...V, field: 'sceneCount', req: () => json('generate', '{"topic":"x","sceneCount":-0}') },
  { name: 'generate: sceneCount "NaN" as a string', ...V, field: 'sceneCount', req: () => gen({ topic: 'x', sceneCount: 'NaN' }) },
  { name: 'estimate: description 1e308 instead of a string', ...V, field: 'description', req: () => json('estimate', '{"topic":"x","description":1e308}') },
  { name: 'generate: burnCaptions "true" as a string', ...V, field: 'burnCaptions', req: () => gen({ topic: 'x', burnCaptions: 'true' }) },
  { name: 'generate: topic nested 10,000 objects deep', ...V, field: 'topic', req: () => json('generate', deepObject) },
  { name: 'estimate: arrays nested 10,000 deep', ...V, field: '0', req: () => json('estimate', deepArray) },
  { name: 'generate: array where the topic string goes', ...V, field: 'topic', req: () => gen({ topic: ['x'] }) },
  { name: 'generate: object where the sceneCount number goes', ...V, field: 'sceneCount', req: () => gen({ topic: 'x', sceneCount: { valueOf: 4 } }) },
  { name: 'generate batch: arrays where requests go', ...V, field: '0', req: () => gen([['topic', 'x']]) },
  { name: 'estimate: a bare string body', ...V, field: '(body)', req: () => est('topic=x') },
  { name: 'generate batch: empty', ...V, field: '(body)', req: () => gen([]) },
  { name: 'generate batch: 11 requests', ...V, field: '(body)', req: () => gen(Array.from({ length: 11 }, (_, i) => ({ topic: `t${i}` }))) },
  { name: 'estimate batch: 11 requests', ...V, field: '(body)', req: () => est(Array.from({ length: 11 }, (_, i) => ({ topic: `t${i}` }))) },
  { name: 'generate batch: one valid, one invalid (nothing is written)', ...V, field: '1.sceneCount',
    req: () => gen([valid, { topic: 'bad', sceneCount: 99 }]) },
  { name: 'generate batch: nine valid, the tenth with an unknown provider', ...V, field: '9.provider',
    req: () => gen([...Array.from({ length: 9 }, () => valid), { topic: 'x', provider: 'evil' }]) },

  // --- prototype pollution
  { name: 'generate: "constructor" key at top level', ...V, field: '(body)',
    req: () => json('generate', '{"topic":"x","constructor":{"prototype":{"polluted":true}}}') },
  { name: 'estimate: "prototype" key at top level', ...V, field: '(body)', req: () => json('estimate', '{"topic":"x","prototype":{"polluted":true}}') },
  { name: 'generate batch: "__proto__" inside a request', ...V, field: '0',
    req: () => json('generate', '[{"topic":"x","__proto__":{"polluted":true}}]') },
  { name: 'generate: "__proto__" nested in the topic', ...V, field: 'topic', req: () => json('generate', '{"topic":{"__proto__":{"polluted":true}}}') },
  { name: 'list: "__proto__" in the query string', ...V, field: '(body)', req: () => list('?__proto__=1&constructor=x') },

  // --- size
  { name: 'generate: 70 KB body with a truthful Content-Length', status: 413, code: 'payload_too_large',
    req: () => ({ ...json('generate', big), headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) } }) },
  { name: 'estimate: 70 KB body with a truthful Content-Length', status: 413, code: 'payload_too_large',
    req: () => ({ ...json('estimate', big), headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) } }) },
  { name: 'generate: a small lie in Content-Length, 70 KB sent', status: 413, code: 'payload_too_large',
    req: () => ({ ...json('generate', big), headers: { 'content-type': 'application/json', 'content-length': '20' } }) },
  (() => {
    let s: ReturnType<typeof chunked>;
    return {
      name: 'generate: 1 MB chunked with no Content-Length (reading stops past 64 KB)', status: 413, code: 'payload_too_large',
      req: (): Req => {
        s = chunked(1024 * 1024);
        return {
          ...json('generate', ''), body: s.stream,
          check: () => {
            expect(s.stats.cancelled).toBe(true);
            expect(s.stats.pulled).toBeGreaterThanOrEqual(9); // 64 KB is 8 chunks; the 9th goes over
            expect(s.stats.pulled).toBeLessThan(12);
            expect(s.stats.pulled).toBeLessThan(s.stats.chunks);
          },
        };
      },
    } satisfies Case;
  })(),
  (() => {
    let s: ReturnType<typeof chunked>;
    return {
      name: 'estimate: 100 KB chunked with no Content-Length', status: 413, code: 'payload_too_large',
      req: (): Req => {
        s = chunked(100 * 1024);
        return { ...json('estimate', ''), body: s.stream, check: () => expect(s.stats.pulled).toBeLessThan(s.stats.chunks) };
      },
    } satisfies Case;
  })(),
  (() => {
    let s: ReturnType<typeof chunked>;
    return {
      name: 'generate: a declared 10 GB Content-Length is refused before any byte is read', status: 413, code: 'payload_too_large',
      req: (): Req => {
        s = chunked(100 * 1024);
        return {
          ...json('generate', ''), body: s.stream, headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) },
          check: () => expect(s.stats.pulled).toBe(0),
        };
      },
    } satisfies Case;
  })(),

  // --- callback URLs
  { name: 'generate: callbackUrl file:///etc/passwd', ...V, field: 'callbackUrl', req: () => gen({ topic: 'x', callbackUrl: 'file:///etc/passwd' }) },
  { name: 'generate: callbackUrl javascript:alert(1)', ...V, field: 'callbackUrl', req: () => gen({ topic: 'x', callbackUrl: 'javascript:alert(1)' }) },
  { name: 'generate: callbackUrl ftp://x', ...V, field: 'callbackUrl', req: () => gen({ topic: 'x', callbackUrl: 'ftp://x' }) },
  { name: 'estimate: callbackUrl data:text/html', ...V, field: 'callbackUrl', req: () => est({ topic: 'x', callbackUrl: 'data:text/html,<script>alert(1)</script>' }) },
  // Refused at the door, before credits are looked at; delivery checks DNS answers and redirects again.
  ...[
    'https://user:pass@example.com/hook', 'http://127.0.0.1/hook', 'http://2130706433/hook', 'http://[::1]/hook',
    'http://[::ffff:10.0.0.1]/hook', 'http://10.1.2.3/hook', 'http://192.168.1.1/hook', 'http://169.254.169.254/latest',
    'http://[fe80::1]/hook', 'http://localhost:3000/hook', 'http://api.localhost/hook', 'http://0.0.0.0/hook',
  ].map((callbackUrl) => ({ name: `generate: callbackUrl ${callbackUrl}`, ...V, field: 'callbackUrl', req: () => gen({ topic: 'x', callbackUrl }) })),
  { name: 'generate batch: callbackUrl to a loopback address', ...V, field: '1.callbackUrl',
    req: () => gen([{ topic: 'x' }, { topic: 'y', callbackUrl: 'http://127.0.0.1:9/' }]) },
  { name: 'generate batch: callbackUrl over 2048 characters', ...V, field: '0.callbackUrl',
    req: () => gen([{ topic: 'x', callbackUrl: `https://example.com/${'a'.repeat(2048)}` }]) },

  // --- NUL characters cannot be stored in PostgreSQL text: bad input, not a server error
  { name: 'generate: topic containing NUL (\\u0000)', ...V, field: 'topic', req: () => gen({ topic: 'a\u0000b' }) },
  { name: 'generate: description containing NUL (\\u0000)', ...V, field: 'description', req: () => gen({ topic: 'ok', description: 'x\u0000y' }) },

  // --- Idempotency-Key
  { name: 'generate: Idempotency-Key of 256 characters', status: 400, code: 'bad_request', req: () => gen(valid, { 'idempotency-key': 'k'.repeat(256) }) },
  { name: 'generate: empty Idempotency-Key', status: 400, code: 'bad_request', req: () => gen(valid, { 'idempotency-key': '' }) },
  { name: "generate: Idempotency-Key naming a batch member (k#00)", status: 400, code: 'bad_request', req: () => gen(valid, { 'idempotency-key': 'k#00' }) },
  { name: 'generate batch: Idempotency-Key with a tab and Latin-1', status: 400, code: 'bad_request',
    req: () => gen([valid], { 'idempotency-key': 'a\tb\u00e9' }) },

  // --- ids that are not UUIDs, or are SQL
  { name: 'status: non-UUID id', ...NF, req: () => withId('status', 'not-a-uuid') },
  { name: 'status: SQL in the id', ...NF, req: () => withId('status', "' OR '1'='1' --") },
  { name: 'status: a UUID followed by SQL', ...NF, req: () => withId('status', `${fx.videoId}'; delete from videos; --`) },
  { name: 'status: 10,000-character id', ...NF, req: () => withId('status', 'f'.repeat(10_000)) },
  { name: 'status: braces UUID form PostgreSQL would accept', ...NF, req: () => withId('status', `{${fx.videoId}}`) },
  { name: 'cancel: non-UUID id', ...NF, req: () => withId('cancel', '12345') },
  { name: 'cancel: SQL in the id', ...NF, req: () => withId('cancel', "1; update videos set status='cancelled'") },
  { name: 'cancel: unknown well-formed UUID', ...NF, req: () => withId('cancel', '3f1c6f1e-7a51-4c35-9b0e-0d5f1c2a9b11') },
  { name: 'retry: non-UUID id', ...NF, req: () => withId('retry', '..%2F..%2Fetc') },
  { name: 'retry: SQL in the id', ...NF, req: () => withId('retry', "00000000-0000-0000-0000-000000000000' or 1=1 --") },
  { name: 'delete: non-UUID id', ...NF, req: () => withId('del', '..%2F..%2Fetc') },
  { name: 'delete: SQL in the id', ...NF, req: () => withId('del', "00000000-0000-0000-0000-000000000000'; delete from videos; --") },
  { name: 'delete: unknown well-formed UUID', ...NF, req: () => withId('del', '3f1c6f1e-7a51-4c35-9b0e-0d5f1c2a9b11') },
  { name: 'delete: a video still being made', status: 409, code: 'conflict', req: () => withId('del', fx.videoId) },
  // Refused under the video's lock, inside the transaction that would have changed it: nothing of it stays.
  { name: 'retry: a video still being made', status: 409, code: 'conflict', req: () => withId('retry', fx.videoId) },
  { name: 'cancel: a video already cancelled', status: 409, code: 'conflict', req: () => withId('cancel', fx.cancelledId) },
  { name: 'share: non-UUID id', ...NF, req: () => shareReq('POST', 'not-a-uuid') },
  { name: 'share: SQL in the id', ...NF, req: () => shareReq('POST', "00000000-0000-0000-0000-000000000000'; delete from video_shares; --") },
  { name: 'share: unknown well-formed UUID', ...NF, req: () => shareReq('POST', '3f1c6f1e-7a51-4c35-9b0e-0d5f1c2a9b11') },
  { name: 'share: a video still being made', status: 409, code: 'conflict', req: () => shareReq('POST', fx.videoId) },
  { name: 'share: a cancelled video', status: 409, code: 'conflict', req: () => shareReq('POST', fx.cancelledId) },
  { name: 'share read: non-UUID id', ...NF, req: () => shareReq('GET', '..%2F..%2Fetc') },
  { name: 'share revoke: unknown well-formed UUID', ...NF, req: () => shareReq('DELETE', '3f1c6f1e-7a51-4c35-9b0e-0d5f1c2a9b11') },
  { name: 'share: revoked token on the finished video', ...UNAUTH, req: () => shareReq('POST', fx.completedId, { authorization: `Bearer ${fx.revokedToken}` }) },
  { name: 'cancel: only if awaiting review, while it is queued', status: 409, code: 'conflict', req: () => cancelIf(fx.videoId, { ifStatus: 'awaiting_review' }) },
  { name: 'cancel: ifStatus not a status', ...V, field: 'ifStatus', req: () => cancelIf(fx.videoId, { ifStatus: "queued' or 1=1" }) },
  { name: 'cancel: unknown body field', ...V, field: '(body)', req: () => cancelIf(fx.videoId, { force: true }) },

  // --- review: approve and scene edits
  { name: 'approve: non-UUID id', ...NF, req: () => withId('approve', 'not-a-uuid') },
  { name: 'approve: SQL in the id', ...NF, req: () => withId('approve', "1; update videos set status='rendering'") },
  { name: 'approve: unknown well-formed UUID', ...NF, req: () => withId('approve', '3f1c6f1e-7a51-4c35-9b0e-0d5f1c2a9b11') },
  { name: 'approve: a video that is not awaiting review', status: 409, code: 'conflict', req: () => withId('approve', fx.videoId) },
  { name: 'scenes: non-UUID id', ...NF, req: () => edit('../x', { scenes: [{ index: 0, narration: 'x' }] }) },
  { name: 'scenes: unknown well-formed UUID', ...NF, req: () => edit('3f1c6f1e-7a51-4c35-9b0e-0d5f1c2a9b11', { scenes: [{ index: 0, narration: 'x' }] }) },
  { name: 'scenes: text/plain body', status: 415, code: 'unsupported_media_type',
    req: () => scenes(fx.videoId, '{"scenes":[]}', { 'content-type': 'text/plain' }) },
  { name: 'scenes: malformed JSON', status: 400, code: 'invalid_json', req: () => scenes(fx.videoId, '{"scenes": [}') },
  { name: 'scenes: a video that is not awaiting review', status: 409, code: 'conflict', req: () => edit(fx.videoId, { scenes: [{ index: 0, narration: 'New words' }] }) },
  { name: 'scenes: narration of 601 characters', ...V, field: 'scenes.0.narration', req: () => edit(fx.videoId, { scenes: [{ index: 0, narration: 'x'.repeat(601) }] }) },
  { name: 'scenes: NUL in a visual prompt', ...V, field: 'scenes.0.visualPrompt', req: () => edit(fx.videoId, { scenes: [{ index: 0, visualPrompt: 'a\u0000b' }] }) },
  { name: 'scenes: index 1e308', ...V, field: 'scenes.0.index', req: () => scenes(fx.videoId, '{"scenes":[{"index":1e308,"narration":"x"}]}') },
  { name: 'scenes: "__proto__" in an edit', ...V, field: 'scenes.0', req: () => scenes(fx.videoId, '{"scenes":[{"index":0,"narration":"x","__proto__":{"polluted":true}}]}') },
  { name: 'scenes: 70 KB body', status: 413, code: 'payload_too_large',
    req: () => edit(fx.videoId, { scenes: [{ index: 0, narration: 'y'.repeat(70 * 1024) }] }) },

  // --- list query
  { name: 'list: limit=1e308', ...V, field: 'limit', req: () => list('?limit=1e308') },
  { name: 'list: limit=NaN', ...V, field: 'limit', req: () => list('?limit=NaN') },
  { name: 'list: limit=-0', ...V, field: 'limit', req: () => list('?limit=-0') },
  { name: 'list: limit=2**53+1', ...V, field: 'limit', req: () => list('?limit=9007199254740993') },
  { name: 'list: unknown parameter owner=', ...V, field: '(body)', req: () => list('?owner=someone-else') },
  { name: 'list: cursor over 200 characters', ...V, field: 'cursor', req: () => list(`?cursor=${'a'.repeat(201)}`) },
  { name: 'list: status that is not a status', ...V, field: 'status.0', req: () => list('?status=done') },
  { name: 'list: status list with SQL in it', ...V, field: 'status.1', req: () => list(`?status=${encodeURIComponent("completed,x') or ('1'='1")}`) },
  { name: 'list: q over 100 characters', ...V, field: 'q', req: () => list(`?q=${'a'.repeat(101)}`) },
  { name: 'list: q with a NUL byte', ...V, field: 'q', req: () => list('?q=a%00b') },
  { name: 'list: forged cursor with SQL in its id', status: 400, code: 'bad_request',
    req: () => list(`?cursor=${cursor('2030-01-01T00:00:00Z', "x' or '1'='1")}`) },
  { name: 'list: forged cursor with SQL in its date', status: 400, code: 'bad_request',
    req: () => list(`?cursor=${cursor("2030-01-01'; drop table videos; --", '00000000-0000-4000-8000-000000000000')}`) },
  { name: 'list: forged cursor whose date JavaScript parses but PostgreSQL does not ("1")', status: 400, code: 'bad_request',
    req: () => list(`?cursor=${cursor('1', '00000000-0000-4000-8000-000000000000')}`) },
  { name: 'list: cursor whose date does not exist (2019-02-30)', status: 400, code: 'bad_request',
    req: () => list(`?cursor=${cursor('2019-02-30T00:00:00.000Z', '00000000-0000-4000-8000-000000000000')}`) },
  { name: 'list: forged cursor with a date beyond PostgreSQL\'s range', status: 400, code: 'bad_request',
    req: () => list(`?cursor=${cursor('+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000')}`) },

  // --- cross-site writes with the owner cookie
  { name: 'generate: Sec-Fetch-Site cross-site (a text/plain form post)', ...FORBID,
    req: () => ({ ...json('generate', JSON.stringify(valid)), headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' } }) },
  { name: 'generate: a foreign Origin', ...FORBID, req: () => gen(valid, { origin: 'https://evil.example' }) },
  { name: 'generate: Origin null (a sandboxed frame)', ...FORBID, req: () => gen(valid, { origin: 'null' }) },
  // (A forged X-Forwarded-Host without a trusted proxy is in tests/security/cross-site.test.ts: this table trusts one.)
  { name: 'generate: a same-site subdomain (SameSite=Lax lets its cookie through)', ...FORBID,
    req: () => gen(valid, { origin: 'http://evil.localhost:3000', 'sec-fetch-site': 'same-site' }) },
  { name: "cancel the owner's video: a foreign Origin", ...FORBID, req: () => withId('cancel', fx.videoId, { origin: 'https://evil.example' }) },
  { name: "retry the owner's video: Sec-Fetch-Site cross-site", ...FORBID, req: () => withId('retry', fx.videoId, { 'sec-fetch-site': 'cross-site' }) },
  { name: "delete the owner's video: a foreign Origin", ...FORBID, req: () => withId('del', fx.videoId, { origin: 'https://evil.example' }) },
  { name: "share the owner's finished video: a foreign Origin", ...FORBID, req: () => shareReq('POST', fx.completedId, { origin: 'https://evil.example' }) },
  { name: "share the owner's finished video: Sec-Fetch-Site cross-site", ...FORBID, req: () => shareReq('POST', fx.completedId, { 'sec-fetch-site': 'cross-site' }) },
  { name: "revoke the owner's share: a foreign Origin", ...FORBID, req: () => shareReq('DELETE', fx.completedId, { origin: 'https://evil.example' }) },
  { name: "approve the owner's video: a foreign Origin", ...FORBID, req: () => withId('approve', fx.videoId, { origin: 'https://evil.example' }) },
  { name: "edit the owner's scenes: Sec-Fetch-Site cross-site", ...FORBID,
    req: () => edit(fx.videoId, { scenes: [{ index: 0, narration: 'Pwned' }] }, { 'sec-fetch-site': 'cross-site' }) },
  { name: 'list: cursor dated 29 February of a common year', status: 400, code: 'bad_request',
    req: () => list(`?cursor=${cursor('2019-02-29T00:00:00.000Z', '00000000-0000-4000-8000-000000000000')}`) },

  // --- the files route: traversal
  { name: 'files: ..%2F..%2Fetc%2Fpasswd (decoded to one segment)', ...NF,
    req: () => file('/api/files/..%2F..%2Fetc%2Fpasswd', ['../../etc/passwd']) },
  { name: 'files: ..%2F..%2Fetc%2Fpasswd (left encoded)', ...NF,
    req: () => file('/api/files/..%2F..%2Fetc%2Fpasswd', ['..%2F..%2Fetc%2Fpasswd']) },
  { name: 'files: double-encoded ..%252F..%252Fetc%252Fpasswd', ...NF,
    req: () => file('/api/files/..%252F..%252Fetc%252Fpasswd', ['..%2F..%2Fetc%2Fpasswd']) },
  { name: 'files: %2e%2e segments', ...NF, req: () => file('/api/files/%2e%2e/%2e%2e/etc/passwd', ['..', '..', 'etc', 'passwd']) },
  { name: 'files: one level up to a real public object beside the store', ...NF, req: () => file('/api/files/..%2Foutside.txt', ['..', 'outside.txt']) },
  { name: 'files: up from inside a video folder', ...NF,
    req: () => file('/api/files/videos/x/..%2F..%2F..%2Foutside.txt', ['videos', 'x', '../../../outside.txt']) },
  { name: 'files: absolute path', ...NF, req: () => file('/api/files/%2Fetc%2Fpasswd', ['/etc/passwd']) },
  { name: 'files: backslashes', ...NF, req: () => file('/api/files/..%5C..%5Coutside.txt', ['..\\..\\outside.txt']) },
  { name: 'files: NUL byte in the key', ...NF, req: () => file('/api/files/outside.txt%00.mp4', ['outside.txt\u0000.mp4']) },
  { name: 'files: a metadata sidecar', ...NF, req: () => file('/api/files/x.meta.json', [...fx.privateKey.split('/').slice(0, -1), 'final.mp4.meta.json']) },

  // --- the files route: signatures
  { name: 'files: private object with no signature', ...FORBID, req: () => file(`/api/files/${fx.privateKey}`, fx.privateKey.split('/')) },
  { name: 'files: signature changed by one character', ...FORBID, message: /not valid/i,
    req: () => { const sig = new URL(fx.signed, 'http://x').searchParams.get('sig')!; return tamper('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)); } },
  { name: 'files: exp moved a day later', ...FORBID, message: /not valid/i,
    req: () => tamper('exp', String(Number(new URL(fx.signed, 'http://x').searchParams.get('exp')) + 86_400)) },
  { name: 'files: exp with a leading zero', ...FORBID, req: () => tamper('exp', `0${new URL(fx.signed, 'http://x').searchParams.get('exp')}`) },
  { name: 'files: dl=1 added to an inline link', ...FORBID, req: () => tamper('dl', '1') },
  { name: 'files: a second sig parameter', ...FORBID, req: () => tamper('sig', 'x', true) },
  { name: 'files: sig removed', ...FORBID, req: () => tamper('sig', null) },
  { name: 'files: a genuine signature moved to another key', ...FORBID, message: /not valid/i,
    req: () => { const u = new URL(fx.signed, 'http://x'); return file(`/api/files/${fx.otherPrivateKey}${u.search}`, fx.otherPrivateKey.split('/')); } },
  { name: 'files: a genuine link after it expired', ...FORBID, message: /expired/i,
    req: () => ({ ...file(new URL(fx.signed, 'http://x').pathname + new URL(fx.signed, 'http://x').search, fx.privateKey.split('/')), at: T0 + 601_000 }) },

  // --- the cron secret
  { name: 'process-queue GET: no Authorization', ...UNAUTH, req: () => cron('queueGet') },
  { name: 'process-queue GET: wrong secret', ...UNAUTH, req: () => cron('queueGet', 'Bearer wrong') },
  { name: 'process-queue GET: lower-case "bearer"', ...UNAUTH, req: () => cron('queueGet', `bearer ${CRON_SECRET}`) },
  { name: 'process-queue GET: the secret upper-cased', ...UNAUTH, req: () => cron('queueGet', `Bearer ${CRON_SECRET.toUpperCase()}`) },
  { name: 'process-queue GET: "Bearer" with two spaces', ...UNAUTH, req: () => cron('queueGet', `Bearer  ${CRON_SECRET}`) },
  { name: 'process-queue GET: equal length, last character wrong', ...UNAUTH, req: () => cron('queueGet', `Bearer ${CRON_SECRET.slice(0, -1)}g`) },
  { name: 'process-queue POST: equal length, first character wrong', ...UNAUTH, req: () => cron('queuePost', `Bearer X${CRON_SECRET.slice(1)}`) },
  { name: 'process-queue POST: equal length in characters, longer in bytes (é)', ...UNAUTH,
    req: () => cron('queuePost', `Bearer ${CRON_SECRET.slice(0, -1)}\u00e9`) },
  { name: 'process-queue POST: a prefix of the secret', ...UNAUTH, req: () => cron('queuePost', `Bearer ${CRON_SECRET.slice(0, 8)}`) },
  { name: 'process-queue POST: the secret plus a suffix', ...UNAUTH, req: () => cron('queuePost', `Bearer ${CRON_SECRET}x`) },
  { name: 'process-queue POST: the bare secret with no scheme', ...UNAUTH, req: () => cron('queuePost', CRON_SECRET) },
  { name: 'process-queue POST: Basic scheme', ...UNAUTH, req: () => cron('queuePost', `Basic ${Buffer.from(`x:${CRON_SECRET}`).toString('base64')}`) },
  { name: 'process-queue POST: a kick with no secret', ...UNAUTH, req: () => cron('queuePost', undefined, { 'x-cueframe-trigger': 'kick' }) },

  // --- API tokens
  { name: 'me: unknown API token', ...UNAUTH, req: () => me({ authorization: `Bearer ${fx.unknownToken}` }) },
  { name: 'me: revoked API token', ...UNAUTH, req: () => me({ authorization: `Bearer ${fx.revokedToken}` }) },
  { name: 'me: token without the cf_ prefix', ...UNAUTH, req: () => me({ authorization: 'Bearer abcdef0123456789' }) },
  { name: 'me: over-long token', ...UNAUTH, req: () => me({ authorization: `Bearer cf_${'a'.repeat(5000)}` }) },
  { name: 'me: the bare prefix "cf_" as a token', ...UNAUTH, req: () => me({ authorization: 'Bearer cf_' }) },
  { name: 'me: a token that is SQL', ...UNAUTH, req: () => me({ authorization: "Bearer cf_' or '1'='1" }) },
  { name: 'me: unknown token is not rescued by a valid cookie', ...UNAUTH, req: () => me({ authorization: `Bearer ${fx.unknownToken}` }, true) },
  { name: 'generate: revoked token', ...UNAUTH, req: () => gen(valid, { authorization: `Bearer ${fx.revokedToken}` }) },
  { name: 'list: unknown token', ...UNAUTH, req: () => list('', { authorization: `Bearer ${fx.unknownToken}` }) },
  { name: 'status: revoked token on an existing video', ...UNAUTH, req: () => withId('status', fx.videoId, { authorization: `Bearer ${fx.revokedToken}` }) },
  { name: 'cancel: revoked token on an existing video', ...UNAUTH, req: () => withId('cancel', fx.videoId, { authorization: `Bearer ${fx.revokedToken}` }) },

  // --- per-client limits (the app trusts one proxy: X-Forwarded-For names the client). A refused
  // request takes nothing: the counters in client_limits are fingerprinted like every other table.
  { name: 'generate: a client past its rate limit', status: 429, code: 'rate_limited', message: /at most 2 every minute/,
    req: () => ({ ...gen(valid, { 'x-forwarded-for': LIMITED.generate }), check: (res) => expectThrottled(res, 'generate', 2) }) },
  { name: 'generate batch: a client past its rate limit', status: 429, code: 'rate_limited',
    req: () => ({ ...gen([valid, valid], { 'x-forwarded-for': LIMITED.generate }), check: (res) => expectThrottled(res, 'generate', 2) }) },
  { name: 'estimate: a client past its rate limit', status: 429, code: 'rate_limited', message: /at most 2 every minute/,
    req: () => ({ ...est(valid), headers: { 'content-type': 'application/json', 'x-forwarded-for': LIMITED.estimate }, check: (res) => expectThrottled(res, 'estimate', 2) }) },
  { name: 'generate: a new visitor from a network whose free credits for the day are spent', status: 402, code: 'insufficient_credits',
    message: /You have 0 credits: free starting credits go to at most 1 new visitors per network each day/,
    req: () => ({ ...gen(valid, { 'x-forwarded-for': LIMITED.grants }), cookie: false }) },
  { name: 'generate: the same, from another address in the spent network\'s IPv6 /64', status: 402, code: 'insufficient_credits',
    req: () => ({ ...gen(valid, { 'x-forwarded-for': '2001:db8:77:1:ffff::9' }), cookie: false }) },
];

/** A 429's Retry-After, RateLimit and RateLimit-Policy fields agree with each other and the policy. */
function expectThrottled(res: Response, policy: string, quota: number): void {
  expect(res.headers.get('ratelimit-policy')).toBe(`"${policy}";q=${quota};w=60`);
  const t = /^"([a-z-]+)";r=0;t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '');
  expect(t?.[1]).toBe(policy);
  expect(Number(t?.[2])).toBeGreaterThanOrEqual(1);
  expect(Number(t?.[2])).toBeLessThanOrEqual(60);
  expect(res.headers.get('retry-after')).toBe(t?.[2]);
}

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { env: { CRON_SECRET, ...LIMITS }, now: () => new Date(clockMs), providers: fakeProviders() });
  const owner = ownerCookie();
  fx.cookie = owner.cookie;
  fx.ownerId = owner.ownerId;
  // The owner exists, with a queued video whose plan task is ready: a cron call that got through,
  // or a cancel that worked, would change rows.
  const res = await send(GENERATE, gen({ topic: 'Existing', sceneCount: 2 }, { cookie: owner.cookie }));
  expect(res.status).toBe(202);
  fx.videoId = (await res.json()).id;
  const second = await send(GENERATE, gen({ topic: 'Cancelled', sceneCount: 1 }, { cookie: owner.cookie }));
  expect(second.status).toBe(202);
  fx.cancelledId = (await second.json()).id;
  expect((await send(CANCEL, { ...withId('cancel', fx.cancelledId), headers: { cookie: owner.cookie } })).status).toBe(200);
  // From its own client address: the default one has used its two generates a minute.
  const third = await send(GENERATE, gen({ topic: 'Finished', sceneCount: 1 }, { cookie: owner.cookie, 'x-forwarded-for': '203.0.113.80' }));
  expect(third.status).toBe(202);
  fx.completedId = (await third.json()).id;
  // Finished as the pipeline leaves it: its steps done, so the cron cases below never run it.
  await t.db.query("update tasks set status = 'done' where video_id = $1::uuid", [fx.completedId]);
  await t.db.query("update videos set status = 'completed', completed_at = now() where id = $1::uuid", [fx.completedId]);

  // Use up the limits the limit cases run into: the rate of one client for generate and for estimate
  // (as the existing owner), and the day's starting grant of one address and of one IPv6 /64.
  for (let i = 0; i < 2; i++) {
    expect((await send(GENERATE, gen(valid, { cookie: owner.cookie, 'x-forwarded-for': LIMITED.generate }))).status).toBe(202);
    expect((await send(ESTIMATE, { ...est(valid), headers: { 'content-type': 'application/json', 'x-forwarded-for': LIMITED.estimate } })).status).toBe(200);
  }
  expect((await send(GENERATE, gen(valid, { 'x-forwarded-for': LIMITED.grants }))).status).toBe(202);
  expect((await send(GENERATE, gen(valid, { 'x-forwarded-for': LIMITED.grants6 }))).status).toBe(202);

  const revoked = await createToken(t.db, { name: 'revoked', credits: 50, now: new Date(T0) });
  expect(await revokeToken(t.db, revoked.id, new Date(T0))).toBe(true);
  fx.revokedToken = revoked.token;

  fx.privateKey = `videos/${fx.videoId}/final.mp4`;
  fx.otherPrivateKey = `videos/${fx.videoId}/captions.vtt`;
  await app.storage.put(fx.privateKey, Buffer.from('private video bytes'), { contentType: 'video/mp4', access: 'private' });
  await app.storage.put(fx.otherPrivateKey, Buffer.from('WEBVTT\n'), { contentType: 'text/vtt', access: 'private' });
  fx.signed = await app.storage.url(fx.privateKey, { expiresAt: T0 / 1000 + 600 });

  // A public object just outside the store's root: served if any traversal got through.
  await fs.writeFile(path.join(app.dataDir, 'outside.txt'), SENTINEL);
  await fs.writeFile(
    path.join(app.dataDir, 'outside.txt.meta.json'),
    JSON.stringify({ contentType: 'text/plain', access: 'public', size: SENTINEL.length, uploadedAt: new Date(T0).toISOString(), version: 'v1' }),
  );
  app.kicks.length = 0;
});

afterAll(async () => {
  await app?.cleanup();
  await t?.drop();
});

describe('hostile requests: documented 4xx, one error shape, no row changed', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name → $status $code', async (c) => {
    const r = c.req();
    const headers = { ...(r.headers ?? {}) };
    const sendCookie = r.cookie ?? !['queueGet', 'queuePost', 'files'].includes(r.route);
    if (sendCookie) headers.cookie = fx.cookie;
    const before = await fingerprint(t.db);
    const kicks = app.kicks.length;
    clockMs = r.at ?? T0;
    let res: Response;
    try {
      res = await send(routes[r.route], { ...r, headers });
    } finally {
      clockMs = T0;
    }
    const body = await expectErrorResponse(res, c, c.name);
    r.check?.(res);
    expect(JSON.stringify(body)).not.toContain(SENTINEL);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await fingerprint(t.db)).toEqual(before);
    expect(app.kicks.length).toBe(kicks);
    // Nothing reached Object.prototype through "__proto__", "constructor" or "prototype" keys.
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});

describe('the same requests, done right, do work (so the refusals above mean something)', () => {
  it('the genuine signed link serves the private object; the sentinel is on disk beside the store', async () => {
    const u = new URL(fx.signed, 'http://x');
    const res = await send(FILES, { url: u.pathname + u.search, params: { key: fx.privateKey.split('/') } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('private video bytes');
    expect(await fs.readFile(path.join(app.dataDir, 'outside.txt'), 'utf8')).toBe(SENTINEL);
    expect(isLocalStorage(app.storage) && path.dirname(app.storage.root)).toBe(app.dataDir);
  });

  it('the owner shares the finished video, and only that adds a share row', async () => {
    const before = await fingerprint(t.db);
    const res = await send(SHARE_POST, { ...shareReq('POST', fx.completedId), headers: { cookie: fx.cookie } });
    expect(res.status).toBe(201);
    const after = await fingerprint(t.db);
    expect(after.video_shares?.rows).toBe((before.video_shares?.rows ?? 0) + 1);
    expect((await send(SHARE_DELETE, { ...shareReq('DELETE', fx.completedId), headers: { cookie: fx.cookie } })).status).toBe(204);
  });

  it('the existing owner reads /api/me without creating anything', async () => {
    const before = await fingerprint(t.db);
    const res = await send(ME, { url: '/api/me', headers: { cookie: fx.cookie } });
    expect(res.status).toBe(200);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('a 64 KB body is accepted by estimate (the limit is not lower than documented)', async () => {
    const head = '{"topic":"x"';
    const exact = head + ' '.repeat(64 * 1024 - head.length - 1) + '}';
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    const res = await send(ESTIMATE, { ...json('estimate', exact), headers: { 'content-type': 'application/json', cookie: fx.cookie } });
    expect(res.status).toBe(200);
  });

  it('the exact cron secret runs the queue (and only then do rows change)', async () => {
    const before = await fingerprint(t.db);
    const res = await send(QUEUE_POST, cron('queuePost', `Bearer ${CRON_SECRET}`));
    expect(res.status).toBe(200);
    // The plan of one of the videos beforeAll queued (owners take turns, so not necessarily fx.videoId's).
    const processed = (await res.json()).processed;
    expect(processed).toMatchObject({ step: 'plan' });
    expect((await t.db.query('select 1 from videos where id = $1::uuid', [processed.videoId])).rowCount).toBe(1);
    expect(await fingerprint(t.db)).not.toEqual(before);
  });
});
