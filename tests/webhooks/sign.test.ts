// The signature scheme receivers implement: exact header format, and every way a forged, altered
// or replayed request must fail verification.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '@/lib/webhooks/sign';

const SECRET = 'whsec_test_0123456789abcdef';
const BODY = '{"id":"evt_1","type":"video.completed","data":{"videoId":"v1"}}';
const T = 1_760_000_000;

describe('signPayload', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 into t=…,v1=<hex>', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signPayload(SECRET, T, BODY)).toBe(`t=${T},v1=${expected}`);
  });

  it('refuses a timestamp that is not whole seconds', () => {
    expect(() => signPayload(SECRET, 1_760_000_000_123.5, BODY)).toThrow(RangeError);
    expect(() => signPayload(SECRET, -1, BODY)).toThrow(RangeError);
  });
});

describe('verifySignature', () => {
  const header = signPayload(SECRET, T, BODY);
  const verify = (h: string | null | undefined, body = BODY, nowSeconds = T, toleranceSeconds?: number) =>
    verifySignature(SECRET, h, body, { nowSeconds, toleranceSeconds });

  it('accepts its own signature within the tolerance, either side of now', () => {
    expect(verify(header)).toBe(true);
    expect(verify(header, BODY, T + 300)).toBe(true);
    expect(verify(header, BODY, T - 300)).toBe(true);
  });

  it('rejects a changed body, even by one byte of whitespace', () => {
    expect(verify(header, BODY.replace('v1', 'v2'))).toBe(false);
    expect(verify(header, `${BODY} `)).toBe(false);
  });

  it('rejects a changed timestamp, so an old signature cannot be refreshed', () => {
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verify(moved, BODY, T + 1)).toBe(false);
  });

  it('rejects a stale or far-future timestamp', () => {
    expect(verify(header, BODY, T + 301)).toBe(false);
    expect(verify(header, BODY, T - 301)).toBe(false);
    expect(verify(header, BODY, T + 61, 60)).toBe(false);
  });

  it('rejects another secret', () => {
    expect(verifySignature('another-secret-value', header, BODY, { nowSeconds: T })).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without v1', `t=${T}`],
    ['without t', header.replace(/^t=\d+,/, '')],
    ['with two timestamps', `t=${T},${header}`],
    ['with a short v1', `t=${T},v1=abcd`],
    ['with a non-numeric t', header.replace(`t=${T}`, 't=soon')],
  ])('rejects a header %s', (_what, h) => {
    expect(verify(h)).toBe(false);
  });

  it('accepts when any of several v1 values matches, as during a secret rotation', () => {
    const old = signPayload('old-secret-value-123', T, BODY).split(',')[1];
    expect(verify(`t=${T},${old},${header.split(',')[1]}`)).toBe(true);
    expect(verify(`t=${T},${old}`)).toBe(false);
  });

  it('tolerates spaces and upper-case hex', () => {
    const [t, v1] = header.split(',');
    expect(verify(`${t}, v1=${v1!.slice(3).toUpperCase()}`)).toBe(true);
  });
});
