// Credits under concurrency and through every outcome, on real PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { POST as ESTIMATE } from '@/app/api/video/estimate/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as ME } from '@/app/api/me/route';
import { workerDeps } from '@/lib/app';
import { StepError } from '@/lib/steps/errors';
import { processOne } from '@/lib/pipeline/worker';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, checkContract, ownerCookie, postJson } from '../helpers/http';
import { fakeCompose, fakeProviders } from '../helpers/queue';

// These answers are the API's too: each is checked against the OpenAPI document.
checkContract();

let t: TestDatabase;
let app: TestApp;
let failRenders = false;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  app = await createTestApp(t.db, {
    env: { STARTING_CREDITS: '0', MAX_ACTIVE_VIDEOS: '0' },
    providers: fakeProviders({
      motion: {
        async animate(input) {
          if (failRenders) throw new StepError('refused', 'Refused.', { permanent: true });
          const fs = await import('node:fs/promises');
          await fs.writeFile(input.outPath, 'clip');
          return { status: 'done', durationMs: input.audioDurationMs, usage: [] };
        },
      },
    }),
  });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  failRenders = false;
  await t.db.query('truncate videos, tasks, queue_owners, task_events, credit_ledger, owners, api_tokens, webhook_events cascade');
});

async function fund(cookieOwner: { ownerId: string }, balance: number): Promise<void> {
  await t.db.query('insert into owners (id, balance) values ($1::text, $2::int)', [cookieOwner.ownerId, balance]);
}
const balanceOf = async (ownerId: string) =>
  (await t.db.query<{ balance: number }>('select balance from owners where id = $1::text', [ownerId])).rows[0]!.balance;
const ledgerOf = async (ownerId: string) =>
  (await t.db.query<{ kind: string; amount: number }>('select kind, amount from credit_ledger where owner_id = $1::text order by id', [ownerId])).rows;

async function drain(): Promise<void> {
  const d = { ...workerDeps(app), handlers: { ...workerDeps(app).handlers, compose: fakeCompose } };
  while (await processOne(d, { invocationId: 'w' })) { /* keep going */ }
}

describe('credits', () => {
  it('50 parallel requests against a balance for 10 accept exactly 10, and the balance never goes negative', async () => {
    const o = ownerCookie();
    const cost = (await (await postJson(ESTIMATE, '/api/video/estimate', { topic: 'x', sceneCount: 1 }, { cookie: o.cookie })).json()).credits;
    expect(cost).toBe(2);
    await fund(o, 10 * cost);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postJson(GENERATE, '/api/video/generate', { topic: `Race ${i}`, sceneCount: 1 }, { cookie: o.cookie })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    const refused = await responses.find((r) => r.status === 402)!.json();
    expect(refused.error.code).toBe('insufficient_credits');
    expect(await balanceOf(o.ownerId)).toBe(0);
    const videos = await t.db.query<{ n: number }>('select count(*)::int as n from videos where owner_id = $1::text', [o.ownerId]);
    expect(videos.rows[0]!.n).toBe(10);
    const reserves = (await ledgerOf(o.ownerId)).filter((l) => l.kind === 'reserve');
    expect(reserves).toHaveLength(10);
    expect(reserves.every((l) => l.amount === -cost)).toBe(true);
  });

  it('a balance that is too small gets 402 and writes nothing', async () => {
    const o = ownerCookie();
    await fund(o, 1);
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Too dear', sceneCount: 4 }, { cookie: o.cookie });
    expect(res.status).toBe(402);
    expect(await balanceOf(o.ownerId)).toBe(1);
    for (const table of ['videos', 'tasks', 'task_events', 'credit_ledger']) {
      const r = await t.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
      expect(r.rows[0]!.n, table).toBe(0);
    }
  });

  it('success captures the reservation; failure releases it once; retry reserves again', async () => {
    const o = ownerCookie();
    await fund(o, 100);
    const ok = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Good', sceneCount: 1 }, { cookie: o.cookie })).json();
    await drain();
    expect((await ledgerOf(o.ownerId)).map((l) => l.kind)).toEqual(['reserve', 'capture']);
    expect(await balanceOf(o.ownerId)).toBe(100 - ok.costCredits);

    failRenders = true;
    const bad = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Bad', sceneCount: 2 }, { cookie: o.cookie })).json();
    await drain();
    const afterFail = await ledgerOf(o.ownerId);
    expect(afterFail.map((l) => l.kind)).toEqual(['reserve', 'capture', 'reserve', 'release']);
    expect(afterFail[3]!.amount).toBe(bad.costCredits);
    expect(await balanceOf(o.ownerId)).toBe(100 - ok.costCredits);

    failRenders = false;
    const retry = await call(RETRY, { url: `/api/video/${bad.id}/retry`, method: 'POST', headers: { cookie: o.cookie }, params: { id: bad.id } });
    expect(retry.status).toBe(202);
    expect(await balanceOf(o.ownerId)).toBe(100 - ok.costCredits - bad.costCredits);
    await drain();
    expect((await ledgerOf(o.ownerId)).map((l) => l.kind)).toEqual(['reserve', 'capture', 'reserve', 'release', 'reserve', 'capture']);
  });

  it('cancellation releases the reservation', async () => {
    const o = ownerCookie();
    await fund(o, 50);
    const v = await (await postJson(GENERATE, '/api/video/generate', { topic: 'Stop', sceneCount: 3 }, { cookie: o.cookie })).json();
    expect(await balanceOf(o.ownerId)).toBe(50 - v.costCredits);
    await call(CANCEL, { url: `/api/video/${v.id}/cancel`, method: 'POST', headers: { cookie: o.cookie }, params: { id: v.id } });
    expect(await balanceOf(o.ownerId)).toBe(50);
    expect((await ledgerOf(o.ownerId)).map((l) => l.kind)).toEqual(['reserve', 'release']);
  });

  it('the ledger is append-only', async () => {
    const o = ownerCookie();
    await fund(o, 5);
    await postJson(GENERATE, '/api/video/generate', { topic: 'L', sceneCount: 1 }, { cookie: o.cookie });
    await expect(t.db.query('update credit_ledger set amount = 0')).rejects.toThrow(/append-only/);
    await expect(t.db.query('delete from credit_ledger')).rejects.toThrow(/append-only/);
  });

  it('a batch is all or nothing, with credits reserved for the whole batch', async () => {
    const o = ownerCookie();
    await fund(o, 5);
    const three = [{ topic: 'a', sceneCount: 1 }, { topic: 'b', sceneCount: 1 }, { topic: 'c', sceneCount: 1 }];
    const tooMany = await postJson(GENERATE, '/api/video/generate', three, { cookie: o.cookie });
    expect(tooMany.status).toBe(402);
    expect((await t.db.query('select 1 from videos')).rowCount).toBe(0);
    expect(await balanceOf(o.ownerId)).toBe(5);
    const two = await postJson(GENERATE, '/api/video/generate', three.slice(0, 2), { cookie: o.cookie });
    expect(two.status).toBe(202);
    const body = await two.json();
    expect(body.videos).toHaveLength(2);
    expect(body.videos.every((v: { statusUrl: string }) => v.statusUrl.startsWith('/api/video/status/'))).toBe(true);
    expect(await balanceOf(o.ownerId)).toBe(1);
  });

  it('GET /api/me shows the balance and the movements; new anonymous owners get the starting grant when they first generate', async () => {
    await createTestApp(t.db, { env: { STARTING_CREDITS: '25' }, providers: fakeProviders() });
    try {
      const o = ownerCookie();
      // Before the first video: what the visitor would start with, and no row yet.
      const before = await (await call(ME, { url: '/api/me', headers: { cookie: o.cookie } })).json();
      expect(before).toEqual({ balance: 25, tier: 'standard', ledger: [], webhooks: null });
      expect((await t.db.query('select 1 from owners where id = $1::text', [o.ownerId])).rowCount).toBe(0);
      expect((await postJson(GENERATE, '/api/video/generate', { topic: 'first', sceneCount: 1 }, { cookie: o.cookie })).status).toBe(202);
      const me = await (await call(ME, { url: '/api/me', headers: { cookie: o.cookie } })).json();
      expect(me).toMatchObject({ balance: 23, tier: 'standard', ledger: [{ kind: 'reserve', amount: -2, balanceAfter: 23 }, { kind: 'grant', amount: 25, balanceAfter: 25 }] });
    } finally {
      const { setApp } = await import('@/lib/app');
      setApp(app);
    }
  });
});

describe('limits', () => {
  it('a per-owner cap on active videos answers 429 with Retry-After', async () => {
    await createTestApp(t.db, { env: { MAX_ACTIVE_VIDEOS: '2', STARTING_CREDITS: '100' }, providers: fakeProviders() });
    try {
      const o = ownerCookie();
      for (const topic of ['one', 'two']) expect((await postJson(GENERATE, '/api/video/generate', { topic }, { cookie: o.cookie })).status).toBe(202);
      const third = await postJson(GENERATE, '/api/video/generate', { topic: 'three' }, { cookie: o.cookie });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('30');
      expect((await third.json()).error.code).toBe('too_many_active_videos');
      expect((await t.db.query('select 1 from videos where owner_id = $1::text', [o.ownerId])).rowCount).toBe(2);
    } finally {
      const { setApp } = await import('@/lib/app');
      setApp(app);
    }
  });
});

describe('priority tiers', () => {
  it('premium owners\' tasks are claimed first, and standard owners still get their turn', async () => {
    const std = ownerCookie();
    const prem = ownerCookie();
    await fund(std, 100);
    await fund(prem, 100);
    await t.db.query("update owners set tier = 'premium' where id = $1::text", [prem.ownerId]);
    for (let i = 0; i < 3; i++) await postJson(GENERATE, '/api/video/generate', { topic: `std ${i}`, sceneCount: 1 }, { cookie: std.cookie });
    for (let i = 0; i < 2; i++) await postJson(GENERATE, '/api/video/generate', { topic: `prem ${i}`, sceneCount: 1 }, { cookie: prem.cookie });
    const plans = await t.db.query<{ owner_id: string; priority: number }>("select owner_id, priority from tasks where kind = 'plan'");
    expect(plans.rows.filter((p) => p.owner_id === prem.ownerId).every((p) => p.priority === 10)).toBe(true);
    expect(plans.rows.filter((p) => p.owner_id === std.ownerId).every((p) => p.priority === 0)).toBe(true);
    const order: string[] = [];
    const base = workerDeps(app);
    const d = { ...base, handlers: { ...base.handlers, compose: fakeCompose } };
    for (let i = 0; i < 4; i++) {
      const p = await processOne(d, { invocationId: `w${i}` });
      const owner = await t.db.query<{ owner_id: string }>('select owner_id from videos where id = $1::uuid', [p!.videoId]);
      order.push(owner.rows[0]!.owner_id === prem.ownerId ? 'premium' : 'standard');
    }
    // Premium plans and then their scenes (which inherit the priority) go first.
    expect(order.slice(0, 2)).toEqual(['premium', 'premium']);
    await drain();
    const done = await t.db.query<{ n: number }>("select count(*)::int as n from videos where status = 'completed'");
    expect(done.rows[0]!.n).toBe(5);
  });
});
