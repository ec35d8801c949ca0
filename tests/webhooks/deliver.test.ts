// Deliveries to a real receiver on 127.0.0.1 (allowPrivate: development mode): what it sees, and
// what each kind of answer becomes for the queue.
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { deliverWebhook, type DeliveryRequest } from '@/lib/webhooks/deliver';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from '@/lib/webhooks/sign';
import { fakeDns, reply, startReceiver, type Handler } from './receiver';

const SECRET = 'deliver_legacy_0123456789';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = JSON.stringify({ id: 'evt_1', type: 'video.completed', data: { videoId: 'v1', note: 'café ✓' } });
const NOW_MS = 1_760_000_000_000;

async function rejection(p: Promise<unknown>): Promise<StepError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

async function setup(handler: Handler) {
  const receiver = await startReceiver(handler);
  const send = (extra: Partial<DeliveryRequest> = {}) =>
    deliverWebhook({ url: `${receiver.url}/hooks/cueframe`, eventId: 'evt_1', body: BODY, secrets: [WHSEC], legacySecret: SECRET, allowPrivate: true, now: () => NOW_MS, ...extra });
  return { receiver, send };
}

describe('deliverWebhook', () => {
  it('POSTs the raw body with headers a receiver can verify', async () => {
    const { receiver, send } = await setup((req, res) => {
      const ok = verifySignature(SECRET, req.headers[SIGNATURE_HEADER] as string, req.body, { nowSeconds: NOW_MS / 1000 });
      res.writeHead(ok ? 204 : 401).end();
    });
    expect(await send()).toEqual({ status: 204 });
    const [got] = receiver.requests;
    expect(got).toMatchObject({ method: 'POST', path: '/hooks/cueframe', body: BODY });
    expect(got!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Cueframe-Webhooks/1', [EVENT_ID_HEADER]: 'evt_1' });
    expect(got!.headers[SIGNATURE_HEADER]).toMatch(new RegExp(`^t=${NOW_MS / 1000},v1=[0-9a-f]{64}$`));

    const header = got!.headers[SIGNATURE_HEADER] as string;
    const opts = { nowSeconds: NOW_MS / 1000 };
    expect(verifySignature(SECRET, header, BODY.replace('v1', 'v2'), opts)).toBe(false);
    expect(verifySignature(SECRET, header.replace(/^t=\d+/, `t=${NOW_MS / 1000 + 1}`), BODY, opts)).toBe(false);
    expect(verifySignature(SECRET, header, BODY, { nowSeconds: NOW_MS / 1000 + 301 })).toBe(false);
  });

  it('connects to a host name through the injected lookup, trying each address it returned', async () => {
    const { receiver } = await setup(reply(200));
    const lookup = fakeDns({ 'hooks.test': ['::1', '127.0.0.1'] }); // nothing listens on ::1 at this port
    const url = `http://hooks.test:${receiver.port}/in`;
    expect(await deliverWebhook({ url, eventId: 'evt_1', body: BODY, secrets: [WHSEC], legacySecret: SECRET, allowPrivate: true, lookup })).toEqual({ status: 200 });
    expect(lookup.asked).toEqual(['hooks.test']);
    expect(receiver.requests[0]!.headers.host).toBe(`hooks.test:${receiver.port}`);
  });

  it('sends the same event id on every attempt, with a fresh signature timestamp', async () => {
    const { receiver, send } = await setup(reply(200));
    await send({ now: () => NOW_MS });
    await send({ now: () => NOW_MS + 60_000 });
    expect(receiver.requests.map((r) => r.headers[EVENT_ID_HEADER])).toEqual(['evt_1', 'evt_1']);
    const stamps = receiver.requests.map((r) => /^t=(\d+),/.exec(r.headers[SIGNATURE_HEADER] as string)![1]);
    expect(stamps).toEqual([String(NOW_MS / 1000), String(NOW_MS / 1000 + 60)]);
  });

  it('turns a 500 into a retryable rejection', async () => {
    const { send } = await setup(reply(500));
    const err = await rejection(send());
    expect(err).toMatchObject({ code: 'webhook_rejected', permanent: false, message: 'The callback URL answered 500.', retryAfterMs: undefined });
  });

  it('stops for good on 410 Gone', async () => {
    const { send } = await setup(reply(410));
    expect(await rejection(send())).toMatchObject({ code: 'webhook_rejected', permanent: true });
  });

  it.each([
    ['delay-seconds', '120', 120_000],
    ['an HTTP date', new Date(NOW_MS + 90_000).toUTCString(), 90_000],
    ['an absurd delay, capped at an hour', '99999999', 3_600_000],
  ])('honours Retry-After given as %s', async (_what, header, ms) => {
    const { send } = await setup(reply(503, { 'retry-after': header }));
    expect(await rejection(send())).toMatchObject({ code: 'webhook_rejected', permanent: false, retryAfterMs: ms });
  });

  it('gives up on a receiver that never answers, as retryable', async () => {
    const { receiver, send } = await setup(() => {});
    const err = await rejection(send({ timeoutMs: 200 }));
    expect(err).toMatchObject({ code: 'webhook_unreachable', permanent: false, message: expect.stringContaining('200 ms') });
    expect(receiver.requests).toHaveLength(1);
  });

  it("rejects with the caller's own abort reason, untouched", async () => {
    const controller = new AbortController();
    const reason = new Error('lease lost');
    const { send } = await setup(() => controller.abort(reason));
    await expect(send({ signal: controller.signal })).rejects.toBe(reason);
  });

  it('reports a closed port as unreachable', async () => {
    const { receiver, send } = await setup(reply(200));
    await receiver.close();
    expect(await rejection(send())).toMatchObject({ code: 'webhook_unreachable', permanent: false, message: expect.stringMatching(/refused/) });
  });

  it('stops reading a reply after 64 KB instead of waiting for its end', async () => {
    const { send } = await setup((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(256 * 1024, 'x')); // and never ends
    });
    expect(await send({ timeoutMs: 30_000 })).toEqual({ status: 200 });
  }, 10_000);
});
