// Redirects: followed a bounded number of times, each hop signed and checked like the first.
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { deliverWebhook } from '@/lib/webhooks/deliver';
import { redirectTarget } from '@/lib/webhooks/responses';
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '@/lib/webhooks/sign';
import { reply, startReceiver } from './receiver';

const base = { eventId: 'evt_r', body: '{"id":"evt_r"}', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], legacySecret: 'redirects_legacy_0123', allowPrivate: true };

async function rejection(p: Promise<unknown>): Promise<StepError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

describe('webhook redirects', () => {
  it.each([301, 302, 303, 307, 308])('re-sends the signed POST after a %i', async (status) => {
    const receiver = await startReceiver((req, res) => {
      if (req.path === '/old') res.writeHead(status, { location: '/new' }).end();
      else res.writeHead(200).end();
    });
    expect(await deliverWebhook({ ...base, url: `${receiver.url}/old` })).toEqual({ status: 200 });
    expect(receiver.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
      `POST /old ${base.body}`,
      `POST /new ${base.body}`,
    ]);
    expect(receiver.requests.every((r) => r.headers[EVENT_ID_HEADER] === 'evt_r' && r.headers[SIGNATURE_HEADER])).toBe(true);
  });

  it('follows at most maxRedirects hops, then fails retryably', async () => {
    const receiver = await startReceiver((req, res) => {
      res.writeHead(302, { location: `/hop${Number(req.path.slice(4) || 0) + 1}` }).end();
    });
    const err = await rejection(deliverWebhook({ ...base, url: `${receiver.url}/hop0`, maxRedirects: 2 }));
    expect(err).toMatchObject({ code: 'webhook_rejected', permanent: false, message: expect.stringContaining('more than 2') });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hop0', '/hop1', '/hop2']);
  });

  it('treats a redirect without a Location as a rejection', async () => {
    const receiver = await startReceiver(reply(302));
    expect(await rejection(deliverWebhook({ ...base, url: receiver.url }))).toMatchObject({ code: 'webhook_rejected', permanent: false });
  });

  it.each([
    ['a file URL', 'file:///etc/passwd', /Refused a redirect to file:\/\/: it must start with http/],
    ['credentials', 'http://u:p@example.com/', /Refused a redirect to http:\/\/example.com: it must not contain/],
    ['plain http from https', 'http://example.com/hook', /from https to plain http/],
    ['the metadata host', 'http://metadata.google.internal/', /metadata service/],
  ])('refuses a redirect to %s before connecting', (_what, location, message) => {
    let caught: unknown;
    try {
      redirectTarget(new URL('https://hooks.example.com/a'), location, 302, 0);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'webhook_url_refused', permanent: true, message: expect.stringMatching(message) });
  });

  it('resolves a relative Location against the current URL', () => {
    expect(redirectTarget(new URL('https://hooks.example.com/a/b'), '../c?x=1', 307, 0).href).toBe('https://hooks.example.com/c?x=1');
  });
});
