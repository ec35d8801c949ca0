// Private objects are reachable only through links the app minted: an HMAC over the key, the expiry
// and the download flag, so none of the three can be changed without the secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { assertValidKey } from './keys';

const ROUTE_PREFIX = '/api/files/';
const MIN_SECRET_LENGTH = 16;
const EXP_PATTERN = /^\d{1,15}$/;

export interface SignOptions {
  secret: string;
  /** Unix seconds; the link stops working at this instant. */
  expiresAt: number;
  download?: boolean;
}

export interface VerifyOptions {
  secret: string;
  nowSeconds: number;
}

export type SignatureCheck = 'ok' | 'expired' | 'invalid';

/** A short or empty secret would make every link forgeable, so refuse to run with one. */
export function assertSigningSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new AppError('misconfigured', `The file signing secret must be at least ${MIN_SECRET_LENGTH} characters.`);
  }
}

/** The unsigned route path for a key; each segment is encoded even though valid keys need none today. */
export function fileRoutePath(key: string): string {
  return ROUTE_PREFIX + assertValidKey(key).split('/').map(encodeURIComponent).join('/');
}

// exp is signed as the exact string in the URL, so "0123" cannot stand in for "123".
function mac(secret: string, key: string, exp: string, download: boolean): string {
  return createHmac('sha256', secret)
    .update(`cueframe-files-v1\n${key}\n${exp}\n${download ? '1' : '0'}`)
    .digest('base64url');
}

export function signPath(key: string, opts: SignOptions): string {
  assertSigningSecret(opts.secret);
  if (!Number.isSafeInteger(opts.expiresAt) || opts.expiresAt < 0) {
    throw new RangeError('expiresAt must be whole unix seconds.');
  }
  const exp = String(opts.expiresAt);
  const download = opts.download === true;
  const params = new URLSearchParams({ exp });
  if (download) params.set('dl', '1');
  params.set('sig', mac(opts.secret, key, exp, download));
  return `${fileRoutePath(key)}?${params.toString()}`;
}

function single(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  return values.length === 1 ? values[0] : null;
}

/** The signature is checked before the expiry, so only genuine links are ever told they expired. */
export function verifySignature(key: string, query: URLSearchParams, opts: VerifyOptions): SignatureCheck {
  assertSigningSecret(opts.secret);
  try {
    assertValidKey(key);
  } catch {
    return 'invalid';
  }
  const exp = single(query, 'exp');
  const sig = single(query, 'sig');
  const dl = query.getAll('dl');
  if (exp === null || !EXP_PATTERN.test(exp) || sig === null) return 'invalid';
  if (dl.length > 1 || (dl.length === 1 && dl[0] !== '1')) return 'invalid';

  // Compare the canonical encodings, not decoded bytes: base64 decoding ignores a last character's
  // spare bits, which would let a slightly different string pass.
  const expected = Buffer.from(mac(opts.secret, key, exp, dl.length === 1));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return opts.nowSeconds >= Number(exp) ? 'expired' : 'ok';
}
