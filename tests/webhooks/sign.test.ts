// The signature schemes: Standard Webhooks (checked against the specification's own example, and by
// hand), and the deprecated cueframe-signature header with every way a forged, altered or replayed
// request must fail its verification.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, standardSignature, verifySignature } from '@/lib/webhooks/sign';

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

describe('standardSignature', () => {
  // The example in the Standard Webhooks specification and its reference libraries' tests.
  const SPEC = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };

  it('matches the specification\'s example: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> under the decoded whsec_ key', () => {
    expect(standardSignature([SPEC.secret], SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
    const key = Buffer.from(SPEC.secret.slice('whsec_'.length), 'base64');
    const byHand = createHmac('sha256', key).update(`${SPEC.id}.${SPEC.timestamp}.${SPEC.body}`).digest('base64');
    expect(SPEC.signature).toBe(`v1,${byHand}`);
  });

  it('signs once per secret, space-separated, in the order given', () => {
    const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const both = standardSignature([SPEC.secret, other], SPEC.id, SPEC.timestamp, SPEC.body).split(' ');
    expect(both).toEqual([SPEC.signature, standardSignature([other], SPEC.id, SPEC.timestamp, SPEC.body)]);
    expect(both[1]).not.toBe(both[0]);
  });

  it('refuses a timestamp that is not whole seconds, and an empty list of secrets', () => {
    expect(() => standardSignature([SPEC.secret], SPEC.id, 1.5, SPEC.body)).toThrow(RangeError);
    expect(() => standardSignature([], SPEC.id, SPEC.timestamp, SPEC.body)).toThrow(RangeError);
  });
});
