// Standard Webhooks, end to end: real deliveries by the queue's webhook step to a real HTTP receiver,
// verified with the reference `standardwebhooks` package exactly as a customer would use it, with the
// secret the owner is shown by GET /api/me. Plus per-owner secrets, rotation and metadata.
import http, { type IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as ME } from '@/app/api/me/route';
import { POST as ROTATE } from '@/app/api/me/webhook-secret/rotate/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { workerDeps } from '@/lib/app';
import { createToken } from '@/lib/auth/tokens';
import { webhookSecret } from '@/lib/pipeline/steps/webhook';
import { processOne } from '@/lib/pipeline/worker';
import { MAX_METADATA_BYTES } from '@/lib/schemas/video';
import { deriveWebhookSecret } from '@/lib/webhooks/secrets';
import { verifySignature } from '@/lib/webhooks/sign';
import { TEST_SECRET, createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, checkContract, ownerCookie, postJson } from '../helpers/http';
import { fakeCompose, fakeProviders } from '../helpers/queue';

// These answers are the API's too: each is checked against the OpenAPI document.
checkContract();

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

const GRACE_SECONDS = 3600;
let t: TestDatabase;
let app: TestApp;
let server: http.Server;
let callbackUrl: string;
const deliveries: Delivery[] = [];
let answers: number[] = [];
let clock = Date.parse('2030-01-01T00:00:00Z');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  t = await createTestDatabase();
  app = await createTestApp(t.db, {
    env: { WEBHOOK_ALLOW_PRIVATE: '1', BACKOFF_BASE_MS: '1000', WEBHOOK_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS) },
    providers: fakeProviders(),
    now: () => new Date(clock),
  });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  deliveries.length = 0;
  answers = [];
});
afterEach(() => {
  vi.useRealTimers();
});

async function drain(): Promise<void> {
  const base = workerDeps(app);
  const d = { ...base, handlers: { ...base.handlers, compose: fakeCompose } };
  for (let i = 0; i < 50; i++) {
    if (await processOne(d, { invocationId: `w${i}` })) continue;
    const next = await t.db.query<{ run_at: Date }>("select min(run_at) as run_at from tasks where status = 'ready'");
    if (!next.rows[0]!.run_at) return;
    clock = Math.max(clock, next.rows[0]!.run_at.getTime());
  }
}

type Owner = ReturnType<typeof ownerCookie>;

async function generate(o: Owner, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postJson(GENERATE, '/api/video/generate', { sceneCount: 1, callbackUrl, ...body }, { cookie: o.cookie, ...headers });
}

async function me(o: Owner) {
  const res = await call(ME, { url: '/api/me', headers: { cookie: o.cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as { webhooks: { secret: string; previousSecretSignsUntil: string | null } | null };
}

async function secretOf(o: Owner): Promise<string> {
  const { webhooks } = await me(o);
  expect(webhooks?.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  return webhooks!.secret;
}

/** Exactly what a receiver does with the reference library: the raw body and the headers as received. */
const verify = (secret: string, d: Delivery, headers: IncomingHttpHeaders = d.headers, body = d.body) =>
  new Webhook(secret).verify(body, headers as Record<string, string>);

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookVerificationError);
    return (err as Error).message;
  }
  throw new Error('verified, but should not have');
}

describe('Standard Webhooks deliveries', () => {
  it('verify with the standardwebhooks package and the owner\'s secret, with one id on every retry and metadata in the event and status', async () => {
    answers = [500];
    const o = ownerCookie();
    const metadata = { orderId: 'ord_42', note: 'café ✓ "quoted"' };
    const res = await generate(o, { topic: 'Standard', metadata });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await drain();
    expect(deliveries).toHaveLength(2);
    const secret = await secretOf(o);
    const ids = new Set(deliveries.map((d) => d.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const d of deliveries) {
      expect(d.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(d.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      const event = verify(secret, d) as Record<string, unknown>;
      expect(event).toMatchObject({ id: d.headers['webhook-id'], type: 'video.completed', videoId: id, status: 'completed', metadata });
    }
    // The deprecated header still comes alongside, signed as before with the one legacy secret.
    const legacy = webhookSecret(undefined, TEST_SECRET);
    expect(deliveries[0]!.headers['cueframe-event-id']).toBe(deliveries[0]!.headers['webhook-id']);
    expect(verifySignature(legacy, deliveries[0]!.headers['cueframe-signature'] as string, deliveries[0]!.body, { nowSeconds: Math.floor(Date.now() / 1000) })).toBe(true);

    const status = await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: o.cookie }, params: { id } });
    expect(status.status).toBe(200);
    expect((await status.json()).metadata).toEqual(metadata);
  });

  it('fail when the body, id or timestamp is changed, when stale, or with another owner\'s secret', async () => {
    const a = ownerCookie();
    const b = ownerCookie();
    const idA = (await (await generate(a, { topic: 'Mine' })).json()).id;
    const idB = (await (await generate(b, { topic: 'Theirs' })).json()).id;
    await drain();
    expect(deliveries).toHaveLength(2);
    const [secretA, secretB] = [await secretOf(a), await secretOf(b)];
    expect(secretA).not.toBe(secretB);
    const mine = deliveries.find((d) => JSON.parse(d.body).videoId === idA)!;
    const theirs = deliveries.find((d) => JSON.parse(d.body).videoId === idB)!;
    expect(verify(secretA, mine)).toMatchObject({ status: 'completed' });
    expect(verify(secretB, theirs)).toMatchObject({ status: 'completed' });

    const h = mine.headers;
    expect(failure(() => verify(secretA, mine, h, mine.body.replace('"completed"', '"failed"')))).toBe('No matching signature found');
    expect(failure(() => verify(secretA, mine, { ...h, 'webhook-id': theirs.headers['webhook-id'] }))).toBe('No matching signature found');
    const ts = Number(h['webhook-timestamp']);
    expect(failure(() => verify(secretA, mine, { ...h, 'webhook-timestamp': String(ts - 1) }))).toBe('No matching signature found');
    // Each owner's secret verifies only that owner's deliveries.
    expect(failure(() => verify(secretB, mine))).toBe('No matching signature found');
    expect(failure(() => verify(secretA, theirs))).toBe('No matching signature found');
    // Replayed later than the receiver's five-minute tolerance.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((ts + 301) * 1000);
    expect(failure(() => verify(secretA, mine))).toBe('Message timestamp too old');
    vi.setSystemTime((ts + 299) * 1000);
    expect(verify(secretA, mine)).toMatchObject({ status: 'completed' });
  });

  it('sign with both secrets during a rotation\'s grace period, and only the new one after it', async () => {
    const a = ownerCookie();
    const b = ownerCookie();
    await generate(a, { topic: 'Before' });
    await generate(b, { topic: 'Bystander' });
    await drain();
    const [old, bBefore] = [await secretOf(a), await secretOf(b)];
    deliveries.length = 0;

    const rotated = await call(ROTATE, { url: '/api/me/webhook-secret/rotate', method: 'POST', headers: { cookie: a.cookie } });
    expect(rotated.status).toBe(200);
    const view = await rotated.json();
    const fresh = view.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(view.previousSecretSignsUntil).toBe(new Date(clock + GRACE_SECONDS * 1000).toISOString());
    expect(await me(a)).toMatchObject({ webhooks: { secret: fresh, previousSecretSignsUntil: view.previousSecretSignsUntil } });
    // Another owner's secret is untouched.
    expect(await secretOf(b)).toBe(bBefore);

    await generate(a, { topic: 'During' });
    await drain();
    expect(deliveries).toHaveLength(1);
    const during = deliveries[0]!;
    expect((during.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(verify(old, during)).toMatchObject({ status: 'completed' });
    expect(verify(fresh, during)).toMatchObject({ status: 'completed' });
    deliveries.length = 0;

    clock = Date.parse(view.previousSecretSignsUntil) + 1000;
    await generate(a, { topic: 'After' });
    await drain();
    expect(deliveries).toHaveLength(1);
    const after = deliveries[0]!;
    expect((after.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect(verify(fresh, after)).toMatchObject({ status: 'completed' });
    expect(failure(() => verify(old, after))).toBe('No matching signature found');
    expect(await me(a)).toMatchObject({ webhooks: { secret: fresh, previousSecretSignsUntil: null } });
  });

  it('the database keeps only a salt: the secret needs SIGNING_SECRET and is bound to its owner', async () => {
    const a = ownerCookie();
    const b = ownerCookie();
    await generate(a, { topic: 'Salted', callbackUrl: undefined });
    await generate(b, { topic: 'Peppered', callbackUrl: undefined });
    const secretA = await secretOf(a);
    await secretOf(b);
    const row = (await t.db.query<{ salt: string }>('select * from owner_webhook_secrets where owner_id = $1::text', [a.ownerId])).rows[0]!;
    const key = secretA.slice('whsec_'.length);
    expect(JSON.stringify(row)).not.toContain(key.slice(0, 12));
    expect(deriveWebhookSecret(TEST_SECRET, a.ownerId, row.salt)).toBe(secretA);
    // A copy of the database without SIGNING_SECRET derives nothing useful.
    expect(deriveWebhookSecret('another-signing-secret-0123', a.ownerId, row.salt)).not.toBe(secretA);
    // A salt copied onto another owner does not give that owner this owner's secret.
    await t.db.query('update owner_webhook_secrets set salt = $2::text where owner_id = $1::text', [b.ownerId, row.salt]);
    expect(await secretOf(b)).not.toBe(secretA);
  });

  it('rotates only for its owner: a cross-site cookie POST is refused and changes nothing; an API token rotates its own owner\'s', async () => {
    const a = ownerCookie();
    await generate(a, { topic: 'Guarded', callbackUrl: undefined });
    const before = await secretOf(a);
    const refused = await call(ROTATE, {
      url: '/api/me/webhook-secret/rotate', method: 'POST', headers: { cookie: a.cookie, origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(403);
    expect(await secretOf(a)).toBe(before);

    const api = await createToken(t.db, { name: 'hooks', credits: 5, now: new Date(clock) });
    const auth = { authorization: `Bearer ${api.token}` };
    const shown = (await (await call(ME, { url: '/api/me', headers: auth })).json()).webhooks.secret;
    const rotated = await call(ROTATE, { url: '/api/me/webhook-secret/rotate', method: 'POST', headers: auth });
    expect(rotated.status).toBe(200);
    const fresh = (await rotated.json()).secret;
    expect(fresh).not.toBe(shown);
    expect((await (await call(ME, { url: '/api/me', headers: auth })).json()).webhooks.secret).toBe(fresh);
    expect(await secretOf(a)).toBe(before);
  });

  it('a visitor who has never generated has no secret, and looking makes none; rotating it is a 404', async () => {
    const o = ownerCookie();
    expect((await me(o)).webhooks).toBeNull();
    const rotated = await call(ROTATE, { url: '/api/me/webhook-secret/rotate', method: 'POST', headers: { cookie: o.cookie } });
    expect(rotated.status).toBe(404);
    const rows = await t.db.query('select 1 from owner_webhook_secrets where owner_id = $1::text', [o.ownerId]);
    expect(rows.rowCount).toBe(0);
  });
});

describe('metadata', () => {
  const big = { blob: 'x'.repeat(MAX_METADATA_BYTES - '{"blob":""}'.length) };
  it.each([
    ['a number value', { n: 1 }],
    ['a nested object', { n: { deep: 'x' } }],
    ['an array', ['a']],
    ['a string', 'ord_42'],
    ['a NUL in a value', { a: 'x\u0000y' }],
    ['one byte over 4 KB', { blob: `${big.blob}x` }],
    ['over 4 KB in multibyte characters', { blob: 'é'.repeat(MAX_METADATA_BYTES / 2) }],
  ])('is refused with 422 for %s, and nothing is created', async (_name, metadata) => {
    const o = ownerCookie();
    const res = await generate(o, { topic: 'Bad metadata', metadata });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.some((i: { path: string }) => i.path.startsWith('metadata'))).toBe(true);
    const videos = await t.db.query('select 1 from videos where owner_id = $1::text', [o.ownerId]);
    expect(videos.rowCount).toBe(0);
  });

  it('takes exactly 4 KB, and an empty or missing object reads back as {}', async () => {
    const o = ownerCookie();
    expect(new TextEncoder().encode(JSON.stringify(big)).length).toBe(MAX_METADATA_BYTES);
    const full = await generate(o, { topic: 'Full', metadata: big, callbackUrl: undefined });
    expect(full.status).toBe(202);
    const none = await (await generate(o, { topic: 'None', callbackUrl: undefined })).json();
    const s = await call(STATUS, { url: `/api/video/status/${none.id}`, headers: { cookie: o.cookie }, params: { id: none.id } });
    expect((await s.json()).metadata).toEqual({});
  });

  it('is {} for a video accepted by an older deployment that sends no metadata to cueframe_accept_videos', async () => {
    const owner = `older-${randomUUID()}`;
    const id = randomUUID();
    const rows = await t.db.query<{ outcome: string }>('select outcome from cueframe_accept_videos($1::jsonb, $2::jsonb)', [
      JSON.stringify({ standard: 0 }),
      JSON.stringify([{
        owner, startingCredits: 100, maxActive: 5, key: null, keyPattern: null, hash: 'h', maxAttempts: 3, now: new Date(clock),
        videos: [{ id, key: null, topic: 'Old code', description: null, sceneCount: 1, aspectRatio: '16:9', resolution: '720p',
          provider: 'local', motion: 'kenburns', voice: 'ava', burnCaptions: false, callbackUrl: null, cost: 1 }],
      }]),
    ]);
    expect(rows.rows.map((r) => r.outcome)).toEqual(['created']);
    expect((await t.db.query('select metadata from videos where id = $1::uuid', [id])).rows).toEqual([{ metadata: {} }]);
  });

  it('is part of the idempotent request: the same metadata in any key order replays, different metadata is refused', async () => {
    const o = ownerCookie();
    const key = { 'idempotency-key': `meta-${o.ownerId}` };
    const first = await generate(o, { topic: 'Keyed', metadata: { a: '1', b: '2' }, callbackUrl: undefined }, key);
    expect(first.status).toBe(202);
    const { id } = await first.json();
    const again = await generate(o, { topic: 'Keyed', metadata: { b: '2', a: '1' }, callbackUrl: undefined }, key);
    expect(again.status).toBe(202);
    expect((await again.json()).id).toBe(id);
    const other = await generate(o, { topic: 'Keyed', metadata: { a: '1', b: '3' }, callbackUrl: undefined }, key);
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe('idempotency_key_reused');
  });
});
