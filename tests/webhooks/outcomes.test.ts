// Webhooks through the queue: one signed event per outcome, retried with the same id until accepted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { workerDeps } from '@/lib/app';
import { webhookSecret } from '@/lib/pipeline/steps/webhook';
import { processOne } from '@/lib/pipeline/worker';
import { queueWebhook, settleCompleted } from '@/lib/videos/outcome';
import { verifySignature } from '@/lib/webhooks/sign';
import { TEST_SECRET, createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie, postJson } from '../helpers/http';
import { fakeCompose, fakeProviders } from '../helpers/queue';

interface Delivery {
  eventId: string;
  signature: string;
  body: string;
}

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
      deliveries.push({ eventId: String(req.headers['cueframe-event-id']), signature: String(req.headers['cueframe-signature']), body });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  t = await createTestDatabase();
  app = await createTestApp(t.db, { env: { WEBHOOK_ALLOW_PRIVATE: '1', BACKOFF_BASE_MS: '1000' }, providers: fakeProviders(), now: () => new Date(clock) });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  deliveries.length = 0;
  answers = [];
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

describe('webhooks', () => {
  it('a completed video POSTs one signed event, retried with the same id until the receiver accepts it', async () => {
    answers = [500, 503];
    const o = ownerCookie();
    const { id } = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Hooks', sceneCount: 1, callbackUrl }, { cookie: o.cookie })).json();
    await drain();
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(1);
    const secret = webhookSecret(undefined, TEST_SECRET);
    for (const d of deliveries) {
      expect(verifySignature(secret, d.signature, d.body, { nowSeconds: Math.floor(Date.now() / 1000) })).toBe(true);
      expect(verifySignature(secret, d.signature, d.body.replace('completed', 'failed'), { nowSeconds: Math.floor(Date.now() / 1000) })).toBe(false);
    }
    const event = JSON.parse(deliveries[0]!.body);
    expect(event).toMatchObject({ id: deliveries[0]!.eventId, type: 'video.completed', videoId: id, status: 'completed', error: null });
    const row = await t.db.query('select outcome, last_status, delivered_at is not null as delivered from webhook_events where video_id = $1::uuid', [id]);
    expect(row.rows).toEqual([{ outcome: 'completed', last_status: 200, delivered: true }]);
    const retried = await t.db.query("select 1 from task_events e join tasks k on k.id = e.task_id where k.kind = 'webhook' and e.type = 'retried'");
    expect(retried.rowCount).toBe(2);
  });

  it('exactly one event per outcome, even if the final state is written twice', async () => {
    const o = ownerCookie();
    const { id } = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Twice', sceneCount: 1, callbackUrl }, { cookie: o.cookie })).json();
    await drain();
    await t.db.transaction((tx) => settleCompleted(tx, id, new Date(clock), 3));
    await drain();
    expect(deliveries).toHaveLength(1);
    const events = await t.db.query('select 1 from webhook_events where video_id = $1::uuid', [id]);
    expect(events.rowCount).toBe(1);
  });

  it('a video that stops for review POSTs one signed video.awaiting_review event, once per round', async () => {
    const o = ownerCookie();
    const { id } = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Review me', sceneCount: 2, review: true, callbackUrl }, { cookie: o.cookie })).json();
    await drain();
    expect(deliveries).toHaveLength(1);
    const event = JSON.parse(deliveries[0]!.body);
    expect(event).toMatchObject({
      id: deliveries[0]!.eventId, type: 'video.awaiting_review', videoId: id, status: 'awaiting_review', round: 0, error: null,
      urls: { video: null, poster: null, captions: null },
    });
    expect(verifySignature(webhookSecret(undefined, TEST_SECRET), deliveries[0]!.signature, deliveries[0]!.body, { nowSeconds: Math.floor(Date.now() / 1000) })).toBe(true);
    // Written again (say, a doubled completion): still one event, one delivery task.
    await t.db.transaction((tx) => queueWebhook(tx, id, 'awaiting_review', new Date(clock), 3));
    await drain();
    expect(deliveries).toHaveLength(1);
    const rows = await t.db.query("select 1 from tasks where video_id = $1::uuid and kind = 'webhook'", [id]);
    expect(rows.rowCount).toBe(1);
  });

  it('cancellation sends a cancelled event; videos without a callback send nothing', async () => {
    const o = ownerCookie();
    const { id } = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Stop', sceneCount: 2, callbackUrl }, { cookie: o.cookie })).json();
    await call(CANCEL, { url: '/x', method: 'POST', headers: { cookie: o.cookie }, params: { id } });
    await postJson(GENERATE, '/api/video/generate', { topic: 'Silent', sceneCount: 1 }, { cookie: o.cookie });
    await drain();
    expect(deliveries.map((d) => JSON.parse(d.body).type)).toEqual(['video.cancelled']);
  });

  it('an SSRF target is refused permanently when private addresses are not allowed', async () => {
    // Accepted while private addresses were allowed (a host name that later resolves privately is the same
    // case): delivery checks the address again and refuses it, whatever generate let through.
    const o = ownerCookie();
    const { id } = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Evil', sceneCount: 1, callbackUrl }, { cookie: o.cookie })).json();
    const strict = await createTestApp(t.db, { providers: fakeProviders(), now: () => new Date(clock) });
    try {
      // And at the door, the strict server refuses the same URL before anything is written.
      const refused = await postJson(GENERATE, '/api/video/generate', { topic: 'Evil', sceneCount: 1, callbackUrl }, { cookie: o.cookie });
      expect(refused.status).toBe(422);
      expect((await refused.json()).error.issues).toEqual([{ path: 'callbackUrl', message: expect.stringMatching(/private address/) }]);
      const base = workerDeps(strict);
      const d = { ...base, handlers: { ...base.handlers, compose: fakeCompose } };
      while (await processOne(d, { invocationId: 'strict' })) { /* keep going */ }
      expect(deliveries).toHaveLength(0);
      const task = await t.db.query<{ status: string; last_error_code: string }>(
        "select status, last_error_code from tasks where video_id = $1::uuid and kind = 'webhook'", [id]);
      expect(task.rows).toEqual([{ status: 'dead', last_error_code: 'webhook_url_refused' }]);
      const v = await t.db.query('select status from videos where id = $1::uuid', [id]);
      expect(v.rows).toEqual([{ status: 'completed' }]);
    } finally {
      const { setApp } = await import('@/lib/app');
      setApp(app);
    }
  });
});
