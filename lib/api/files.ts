// The logic behind GET and HEAD /api/files/[...key]: access checks, Range and streaming from
// LocalStorage. Kept out of the route file so it can be tested without Next.js.
import { Readable } from 'node:stream';
import { errorResponse } from './respond';
import { AppError } from '@/lib/errors';
import { assertValidKey } from '@/lib/storage/keys';
import type { LocalStorage } from '@/lib/storage/local';
import type { OpenedObject } from '@/lib/storage/local-open';
import { parseRange } from '@/lib/storage/range';
import { verifySignature } from '@/lib/storage/signing';

export interface ServeDeps {
  storage: LocalStorage;
  secret: string;
  now: () => Date;
}

const ROUTE = '/api/files/[...key]';
// Keys are overwritten when a pipeline step re-runs, so caches must come back soon; never "immutable".
const PUBLIC_CACHE = 'public, max-age=60';
const PRIVATE_MAX_AGE_CAP = 3600;

/** Answers GET and HEAD alike (HEAD gets the same status and headers, without a body). */
export async function serveStoredObject(req: Request, key: string, deps: ServeDeps): Promise<Response> {
  let opened: OpenedObject | null = null;
  let res: Response;
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('method_not_allowed', 'Use GET or HEAD.');
    // A malformed key gets the same 404 as a missing one, so probing learns nothing.
    if (!isValidKey(key)) throw notFound();
    opened = await deps.storage.open(key);
    if (!opened) throw notFound();
    const query = new URL(req.url).searchParams;
    const cacheControl = authorize(opened.info.access, key, query, deps);
    res = respond(req, opened, { cacheControl, download: query.get('dl') === '1' });
  } catch (err) {
    res = errorResponse(err, ROUTE);
  } finally {
    await opened?.close(); // no-op once the body stream owns the file handle
  }
  return req.method === 'HEAD' && res.body ? new Response(null, { status: res.status, headers: res.headers }) : res;
}

/** Returns the Cache-Control for an allowed request; throws forbidden otherwise. */
function authorize(access: string, key: string, query: URLSearchParams, deps: ServeDeps): string {
  if (access === 'public') return PUBLIC_CACHE;
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  const check = verifySignature(key, query, { secret: deps.secret, nowSeconds });
  if (check === 'expired') throw new AppError('forbidden', 'This link has expired. Reload the page to get a fresh one.');
  if (check === 'invalid') throw new AppError('forbidden', 'This link is not valid.');
  // Never let a cache keep the response longer than the link itself is valid.
  const maxAge = Math.min(Number(query.get('exp')) - nowSeconds, PRIVATE_MAX_AGE_CAP);
  return `private, max-age=${maxAge}`;
}

function respond(req: Request, opened: OpenedObject, opts: { cacheControl: string; download: boolean }): Response {
  const { key, size, contentType, uploadedAt } = opened.info;
  const range = parseRange(req.headers.get('range'), size);
  if (range.kind === 'unsatisfiable') {
    const res = errorResponse(new AppError('range_not_satisfiable', `The file is ${size} bytes long.`), ROUTE);
    res.headers.set('content-range', `bytes */${size}`);
    return res;
  }
  const fileName = key.slice(key.lastIndexOf('/') + 1); // key grammar keeps it safe inside quotes
  const headers = new Headers({
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    'accept-ranges': 'bytes',
    'cache-control': opts.cacheControl,
    'content-disposition': `${opts.download ? 'attachment' : 'inline'}; filename="${fileName}"`,
    'last-modified': uploadedAt.toUTCString(),
  });
  const { start, end } = range.kind === 'partial' ? range : { start: 0, end: size - 1 };
  headers.set('content-length', String(end - start + 1));
  if (range.kind === 'partial') headers.set('content-range', `bytes ${start}-${end}/${size}`);
  const status = range.kind === 'partial' ? 206 : 200;
  if (req.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
  // Streamed from the pinned handle; a cancelled response destroys the stream, which closes the file.
  const body = Readable.toWeb(opened.stream({ start, end })) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

function isValidKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

function notFound(): AppError {
  return new AppError('not_found', 'File not found.');
}
