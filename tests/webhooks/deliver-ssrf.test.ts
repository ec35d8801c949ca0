// The SSRF guard wired into real deliveries (allowPrivate: false, as in production). Each refusal
// is permanent, and the receiver counting connections shows nothing was ever sent its way.
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { deliverWebhook, type DeliveryRequest } from '@/lib/webhooks/deliver';
import { isForbiddenAddress } from '@/lib/webhooks/ssrf';
import { fakeDns, reply, startReceiver } from './receiver';

const base = { eventId: 'evt_s', body: '{"id":"evt_s"}', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], legacySecret: 'ssrf_legacy_0123456789', allowPrivate: false };

async function refusal(req: Partial<DeliveryRequest> & { url: string }): Promise<StepError> {
  const err = await deliverWebhook({ ...base, ...req }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  expect(err).toMatchObject({ code: 'webhook_url_refused', permanent: true });
  return err as StepError;
}

describe('webhook SSRF guard', () => {
  it('refuses a loopback literal, and the receiver there is never contacted', async () => {
    const receiver = await startReceiver(reply(200));
    const err = await refusal({ url: `${receiver.url}/` });
    expect(err.message).toBe('127.0.0.1 is a private address, which webhooks may not reach.');
    expect(receiver.connections).toBe(0);
  });

  it('refuses a name that resolves to loopback, checked at connect time', async () => {
    const receiver = await startReceiver(reply(200));
    const lookup = fakeDns({ 'evil.test': ['127.0.0.1'] });
    const err = await refusal({ url: `http://evil.test:${receiver.port}/hook`, lookup });
    expect(err.message).toContain('evil.test resolves to a private address 127.0.0.1');
    expect(lookup.asked).toEqual(['evil.test']);
    expect(receiver.connections).toBe(0);
  });

  it('refuses localhost through the real resolver', async () => {
    const receiver = await startReceiver(reply(200));
    await refusal({ url: `http://localhost:${receiver.port}/` });
    expect(receiver.connections).toBe(0);
  });

  it.each([
    ['http://[::1]/', /::1 is a private address/],
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a private address/],
    ['http://10.0.0.5', /10\.0\.0\.5 is a private address/],
    ['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1 is a private address/],
    ['http://2130706433/', /127\.0\.0\.1 is a private address/], // 127.0.0.1 written as one number
    ['ftp://x', /not ftp:/],
    ['file:///etc/passwd', /not file:/],
    ['http://user:pass@example.com/', /user name or password/],
  ])('refuses %s', async (url, message) => {
    const lookup = fakeDns({});
    expect((await refusal({ url, lookup })).message).toMatch(message);
    expect(lookup.asked).toEqual([]);
  });

  it('refuses the metadata address even when private addresses are allowed', async () => {
    await refusal({ url: 'http://169.254.169.254/latest/meta-data', allowPrivate: true });
  });

  describe('a redirect from an allowed host to a private one', () => {
    // Loopback plays the public internet: 127.0.0.1 is let through by the override, while the
    // "private" receiver on 127.0.0.2 stays forbidden by the real address table.
    const isForbidden = (ip: string) => ip !== '127.0.0.1' && isForbiddenAddress(ip);

    async function scenario(location: (privatePort: number) => string) {
      const inside = await startReceiver(reply(200), '127.0.0.2');
      const outside = await startReceiver((_req, res) => res.writeHead(302, { location: location(inside.port) }).end());
      const lookup = fakeDns({ 'public.test': ['127.0.0.1'], 'private.test': ['127.0.0.2'] });
      const err = await refusal({ url: `http://public.test:${outside.port}/hook`, lookup, isForbidden });
      expect(outside.requests).toHaveLength(1);
      expect(inside.connections).toBe(0);
      return { err, lookup };
    }

    it('refuses a redirect to a name resolving to a private address', async () => {
      const { err, lookup } = await scenario((port) => `http://private.test:${port}/steal`);
      expect(err.message).toMatch(/^Refused a redirect to http:\/\/private\.test:\d+: private\.test resolves to a private address 127\.0\.0\.2/);
      expect(lookup.asked).toEqual(['public.test', 'private.test']);
    });

    it('refuses a redirect to a private literal without resolving anything', async () => {
      const { err, lookup } = await scenario((port) => `http://127.0.0.2:${port}/steal`);
      expect(err.message).toMatch(/^Refused a redirect to http:\/\/127\.0\.0\.2:\d+: 127\.0\.0\.2 is a private address/);
      expect(lookup.asked).toEqual(['public.test']);
    });

    it('refuses a redirect to 10.1.2.3 the same way', async () => {
      const { err } = await scenario(() => 'http://10.1.2.3/');
      expect(err.message).toContain('10.1.2.3 is a private address');
    });
  });
});
