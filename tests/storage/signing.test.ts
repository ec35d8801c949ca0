import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { signPath, verifySignature } from '@/lib/storage/signing';
import { TEST_SECRET } from './temp-dir';

const key = 'videos/abc/final.mp4';
const now = 1_700_000_000;
const exp = now + 600;

function split(signed: string): { path: string; query: URLSearchParams } {
  const [path, search] = signed.split('?');
  return { path, query: new URLSearchParams(search) };
}

function verify(query: URLSearchParams, opts: { key?: string; nowSeconds?: number; secret?: string } = {}) {
  return verifySignature(opts.key ?? key, query, { secret: opts.secret ?? TEST_SECRET, nowSeconds: opts.nowSeconds ?? now });
}

describe('signPath', () => {
  it('returns the route path with exp and a base64url sig', () => {
    const { path, query } = split(signPath(key, { secret: TEST_SECRET, expiresAt: exp }));
    expect(path).toBe('/api/files/videos/abc/final.mp4');
    expect(query.get('exp')).toBe(String(exp));
    expect(query.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.has('dl')).toBe(false);
  });

  it('adds dl=1 for downloads', () => {
    expect(split(signPath(key, { secret: TEST_SECRET, expiresAt: exp, download: true })).query.get('dl')).toBe('1');
  });

  it('refuses invalid keys, short secrets and bad expiries', () => {
    expect(() => signPath('../x', { secret: TEST_SECRET, expiresAt: exp })).toThrow(AppError);
    expect(() => signPath(key, { secret: 'short', expiresAt: exp })).toThrow(AppError);
    expect(() => signPath(key, { secret: TEST_SECRET, expiresAt: 1.5 })).toThrow(RangeError);
  });
});

describe('verifySignature', () => {
  const signed = () => split(signPath(key, { secret: TEST_SECRET, expiresAt: exp })).query;

  it('accepts a valid link before it expires', () => {
    expect(verify(signed())).toBe('ok');
    expect(verify(signed(), { nowSeconds: exp - 1 })).toBe('ok');
  });

  it('reports expiry at and after exp', () => {
    expect(verify(signed(), { nowSeconds: exp })).toBe('expired');
    expect(verify(signed(), { nowSeconds: exp + 3600 })).toBe('expired');
  });

  it('rejects a signature with any single character flipped', () => {
    const sig = signed().get('sig')!;
    for (let i = 0; i < sig.length; i++) {
      const query = signed();
      query.set('sig', sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1));
      expect(verify(query), `position ${i}`).toBe('invalid');
    }
  });

  it('rejects a changed exp, even one that only adds a leading zero', () => {
    const later = signed();
    later.set('exp', String(exp + 1000));
    expect(verify(later)).toBe('invalid');
    const padded = signed();
    padded.set('exp', `0${exp}`);
    expect(verify(padded)).toBe('invalid');
  });

  it('rejects the signature for another key', () => {
    expect(verify(signed(), { key: 'videos/abc/poster.jpg' })).toBe('invalid');
  });

  it('rejects toggling the download flag either way', () => {
    const added = signed();
    added.set('dl', '1');
    expect(verify(added)).toBe('invalid');
    const removed = split(signPath(key, { secret: TEST_SECRET, expiresAt: exp, download: true })).query;
    expect(verify(removed)).toBe('ok');
    removed.delete('dl');
    expect(verify(removed)).toBe('invalid');
  });

  it('rejects missing, duplicated or foreign parameters', () => {
    const noSig = signed();
    noSig.delete('sig');
    expect(verify(noSig)).toBe('invalid');
    const noExp = signed();
    noExp.delete('exp');
    expect(verify(noExp)).toBe('invalid');
    const twoSigs = signed();
    twoSigs.append('sig', twoSigs.get('sig')!);
    expect(verify(twoSigs)).toBe('invalid');
    expect(verify(new URLSearchParams())).toBe('invalid');
  });

  it('rejects a link signed with another secret, and an expired forgery is invalid, not expired', () => {
    const forged = split(signPath(key, { secret: 'another-secret-of-enough-length', expiresAt: exp })).query;
    expect(verify(forged)).toBe('invalid');
    expect(verify(forged, { nowSeconds: exp + 1 })).toBe('invalid');
  });

  it('encodes segments, not the slashes between them', () => {
    // Valid keys never need encoding today; this pins the encoding to segments, not slashes.
    expect(signPath('a/b-c_d.e', { secret: TEST_SECRET, expiresAt: exp }).startsWith('/api/files/a/b-c_d.e?')).toBe(true);
  });
});
