// A stand-in for the Vercel Blob REST API and its CDN, served on 127.0.0.1, with the paths, headers and
// JSON shapes that @vercel/blob 2.x uses (read from node_modules/@vercel/blob/dist). The SDK fetches
// through undici, which msw cannot intercept, so it reaches this server through VERCEL_BLOB_API_URL.
// Bytes go to temp files, never memory, so the streaming test measures the client and not the fake.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach } from 'vitest';

interface Stored { file: string; size: number; sha256: string; contentType: string; uploadedAt: Date; etag: string }
interface Upload { pathname: string; parts: Map<number, Stored> }
export interface FakeBlobOptions {
  /** Access is a property of the whole store in Vercel Blob. A public store coerces private puts. */
  storeAccess?: 'private' | 'public';
  /** Makes the next N part uploads fail with a retryable 500 after reading the body. */
  failPartUploads?: number;
}

const MIN_PART = 5 * 1024 * 1024;
const hmac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64url');

export async function startFakeBlob(opts: FakeBlobOptions = {}) {
  const storeId = `fake${randomBytes(4).toString('hex')}`;
  const token = `vercel_blob_rw_${storeId}_${randomBytes(12).toString('hex')}`;
  const storeSecret = randomBytes(16).toString('hex');
  const storeAccess = opts.storeAccess ?? 'private';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-fake-blob-'));
  const blobs = new Map<string, Stored>();
  const cached = new Map<string, Stored>();
  const uploads = new Map<string, Upload>();
  const log: string[] = [];
  let failParts = opts.failPartUploads ?? 0;
  let clockOffsetMs = 0;
  let blobOrigin = '';

  const urlFor = (p: string) =>
    storeAccess === 'public' ? `https://${storeId}.public.blob.vercel-storage.com/${p}` : `${blobOrigin}/${p}`;
  const info = (p: string, b: Stored) => ({
    url: urlFor(p), downloadUrl: `${urlFor(p)}?download=1`, pathname: p, contentType: b.contentType,
    contentDisposition: `inline; filename="${path.basename(p)}"`, etag: b.etag,
  });

  /** Streams bytes to a temp file, hashing on the way. */
  async function save(source: AsyncIterable<Buffer>, h: IncomingMessage['headers']): Promise<Stored> {
    const file = path.join(dir, randomBytes(8).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    async function* tap() {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    }
    await pipeline(tap, createWriteStream(file));
    const contentType = String(h['x-content-type'] ?? 'application/octet-stream');
    return { file, size, sha256: hash.digest('hex'), contentType, uploadedAt: new Date(), etag: `"${randomBytes(6).toString('hex')}"` };
  }

  /** Applies the put headers the way the service does; returns an error message or the final pathname. */
  function target(pathname: string, h: IncomingMessage['headers']): { error: string } | { pathname: string } {
    const access = h['x-vercel-blob-access'];
    if (access !== 'public' && access !== 'private') return { error: 'access must be "private" or "public"' };
    if (storeAccess === 'private' && access === 'public') return { error: 'This store is private; public blobs are not allowed' };
    // An absent header gets the service's old default, so a client that forgets to opt out is caught.
    const final = h['x-add-random-suffix'] === '0' ? pathname : pathname.replace(/(\.[^./]*)?$/, `-${randomBytes(4).toString('hex')}$1`);
    if (blobs.has(final) && h['x-allow-overwrite'] !== '1') return { error: 'This blob already exists, use `allowOverwrite: true`' };
    return { pathname: final };
  }

  async function complete(u: Upload, h: IncomingMessage['headers'], parts: { partNumber: number; etag: string }[]) {
    const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ p, s: u.parts.get(p.partNumber) }));
    if (ordered.some(({ p, s }, i) => !s || s.etag !== p.etag || p.partNumber !== i + 1 || (i < ordered.length - 1 && s.size < MIN_PART))) {
      return null;
    }
    async function* joined() {
      for (const { s } of ordered) yield* createReadStream(s!.file);
    }
    return save(joined(), h);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.replace(/^\/api\/blob\/?/, '/');
    const action = req.method === 'POST' && route === '/mpu' ? `mpu-${String(req.headers['x-mpu-action'])}` : `${req.method} ${route}`;
    log.push(action);
    if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 403, 'forbidden', 'Invalid token');
    const pathname = url.searchParams.get('pathname') ?? '';
    if (action === 'PUT /') {
      const t = target(pathname, req.headers);
      if ('error' in t) return fail(res, 400, 'bad_request', t.error);
      const stored = await save(req, req.headers);
      blobs.set(t.pathname, stored);
      return json(res, info(t.pathname, stored));
    }
    if (action === 'GET /') {
      const p = toPathname(url.searchParams.get('url') ?? '');
      const b = blobs.get(p);
      if (!b) return fail(res, 404, 'not_found', 'The requested blob does not exist');
      return json(res, { ...info(p, b), size: b.size, uploadedAt: b.uploadedAt.toISOString(), cacheControl: 'public, max-age=2592000' });
    }
    if (action === 'POST /delete') {
      const { urls } = JSON.parse(await text(req)) as { urls: string[] };
      for (const p of urls.map(toPathname)) {
        blobs.delete(p);
        cached.delete(p);
      }
      return json(res, {});
    }
    if (action === 'POST /signed-token') {
      const body = JSON.parse(await text(req)) as { pathname?: string; operations?: string[]; validUntil?: number };
      const scope = {
        storeId,
        pathname: body.pathname ?? '*',
        operations: body.operations ?? ['get'],
        validUntil: body.validUntil ?? now() + 3_600_000,
      };
      const seg = Buffer.from(JSON.stringify(scope)).toString('base64url');
      const delegationToken = `${seg}.${hmac(storeSecret, seg)}`;
      return json(res, { delegationToken, clientSigningToken: hmac(storeSecret, delegationToken), validUntil: scope.validUntil });
    }
    if (action === 'mpu-create') {
      const t = target(pathname, req.headers);
      if ('error' in t) return fail(res, 400, 'bad_request', t.error);
      const uploadId = randomBytes(8).toString('hex');
      uploads.set(uploadId, { pathname: t.pathname, parts: new Map() });
      return json(res, { key: `${t.pathname}#${uploadId}`, uploadId });
    }
    const upload = uploads.get(String(req.headers['x-mpu-upload-id']));
    if (!upload) return fail(res, 400, 'bad_request', 'Unknown multipart upload');
    if (action === 'mpu-upload') {
      const stored = await save(req, req.headers);
      if (failParts > 0) {
        failParts -= 1;
        return fail(res, 500, 'internal_server_error', 'Flaky part upload'); // the SDK retries this code
      }
      upload.parts.set(Number(req.headers['x-mpu-part-number']), stored);
      return json(res, { etag: stored.etag });
    }
    if (action === 'mpu-complete') {
      const stored = await complete(upload, req.headers, JSON.parse(await text(req)) as { partNumber: number; etag: string }[]);
      if (!stored) return fail(res, 400, 'bad_request', 'Parts are missing, out of order or too small');
      blobs.set(upload.pathname, stored);
      return json(res, info(upload.pathname, stored));
    }
    return fail(res, 404, 'not_found', `No route ${action}`);
  }

  /** The CDN: a private store serves bytes only for the store token or a valid Vercel signed URL. */
  function cdn(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const p = decodeURIComponent(url.pathname.slice(1));
    log.push(`CDN ${req.method} ${p}`);
    // Like the real CDN, a read may be answered from cache until the client asks for cache=0.
    const b = (url.searchParams.get('cache') !== '0' && cached.get(p)) || blobs.get(p);
    if (b) cached.set(p, b);
    if (storeAccess === 'private' && req.headers.authorization !== `Bearer ${token}` && !validSignature(p, url.searchParams)) {
      return void res.writeHead(403).end('Forbidden');
    }
    if (!b) return void res.writeHead(404).end('Not found');
    const disposition = url.searchParams.get('download') === '1' ? 'attachment' : 'inline';
    res.writeHead(200, { 'content-type': b.contentType, 'content-length': b.size, etag: b.etag, 'content-disposition': disposition });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(b.file).pipe(res);
  }

  // Mirrors the SDK's presign(): HMAC over sorted "key=value" lines, keyed by HMAC(store secret, delegation).
  function validSignature(p: string, q: URLSearchParams): boolean {
    const delegation = q.get('vercel-blob-delegation') ?? '';
    const [seg, mac] = delegation.split('.');
    if (!seg || !mac || hmac(storeSecret, seg) !== mac) return false;
    const scope = JSON.parse(Buffer.from(seg, 'base64url').toString()) as { pathname: string; operations: string[]; validUntil: number };
    const until = q.get('vercel-blob-valid-until');
    const expiry = until === null ? scope.validUntil : Number(until);
    if (!scope.operations.includes('get') || (scope.pathname !== '*' && scope.pathname !== p)) return false;
    if (!(expiry <= scope.validUntil) || now() >= expiry) return false;
    const lines = ['operation=get', `pathname=${p}`, ...(until === null ? [] : [`vercel-blob-valid-until=${until}`])].sort();
    return hmac(hmac(storeSecret, delegation), lines.join('\n')) === q.get('vercel-blob-signature');
  }

  const now = () => Date.now() + clockOffsetMs;
  const apiServer = await listen((req, res, url) => api(req, res, url));
  const cdnServer = await listen((req, res, url) => cdn(req, res, url));
  blobOrigin = cdnServer.origin;

  return {
    apiUrl: `${apiServer.origin}/api/blob`,
    blobOrigin,
    storeId,
    token,
    /** Actions seen, e.g. "PUT /", "mpu-upload", "POST /signed-token", "CDN GET videos/a.mp4". */
    log,
    stored: (p: string) => blobs.get(p),
    pathnames: () => [...blobs.keys()],
    advanceClock: (ms: number) => void (clockOffsetMs += ms),
    /** Stands in for DNS: sends a real *.blob.vercel-storage.com URL to this fake CDN instead. */
    resolve(blobUrl: string): string {
      const u = new URL(blobUrl);
      if (!u.hostname.endsWith('.blob.vercel-storage.com')) throw new Error(`not a Vercel Blob URL: ${blobUrl}`);
      return `${blobOrigin}${u.pathname}${u.search}`;
    },
    async close(): Promise<void> {
      await Promise.all([apiServer.close(), cdnServer.close()]);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export type FakeBlob = Awaited<ReturnType<typeof startFakeBlob>>;

/** A fresh fake per test, with the SDK pointed at it and retries kept short so failures surface fast. */
export function useFakeBlob(opts: FakeBlobOptions = {}): () => FakeBlob {
  let fake: FakeBlob | null = null;
  const saved = { api: process.env.VERCEL_BLOB_API_URL, retries: process.env.VERCEL_BLOB_RETRIES };
  beforeEach(async () => {
    fake = await startFakeBlob(opts);
    process.env.VERCEL_BLOB_API_URL = fake.apiUrl;
    process.env.VERCEL_BLOB_RETRIES = '1';
  });
  afterEach(async () => {
    restore('VERCEL_BLOB_API_URL', saved.api);
    restore('VERCEL_BLOB_RETRIES', saved.retries);
    await fake?.close();
    fake = null;
  });
  return () => {
    if (!fake) throw new Error('useFakeBlob() is only available inside a test');
    return fake;
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function toPathname(urlOrPathname: string): string {
  return /^https?:\/\//.test(urlOrPathname) ? decodeURIComponent(new URL(urlOrPathname).pathname.slice(1)) : urlOrPathname;
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, { error: { code, message } }, status);
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function text(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

async function listen(handler: Handler): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res, new URL(req.url ?? '/', 'http://fake'))).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 400, 'bad_request', String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
