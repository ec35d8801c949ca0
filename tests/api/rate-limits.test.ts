// Per-client rate limits on generate and estimate: counted in Postgres (so every instance shares
// them), per IPv4 address or IPv6 /64, answered with 429, Retry-After and the IETF RateLimit fields,
// and a refused request changes nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as ESTIMATE } from '@/app/api/video/estimate/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { setApp } from '@/lib/app';
import { loadConfig } from '@/lib/config';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { postJson } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { fingerprint } from '../security/kit';

const T0 = Date.parse('2031-05-04T10:00:00.250Z');

let t: TestDatabase;
let clockMs = T0;
const apps: TestApp[] = [];

/** An app instance; `db` another pool on the same database makes it a second instance. */
async function instance(env: Record<string, string>, opts: { db?: TestDatabase['db']; skewMs?: number } = {}): Promise<TestApp> {
  const app = await createTestApp(opts.db ?? t.db, {
    env: { MAX_ACTIVE_VIDEOS: '0', ...env },
    providers: fakeProviders(),
    now: () => new Date(clockMs + (opts.skewMs ?? 0)),
  });
  apps.push(app);
  return app;
}

const body = { topic: 'Rate limits', sceneCount: 1 };
const generate = (ip?: string) => postJson(GENERATE, '/api/video/generate', body, ip === undefined ? {} : { 'x-forwarded-for': ip });
const estimate = (ip?: string) => postJson(ESTIMATE, '/api/video/estimate', body, ip === undefined ? {} : { 'x-forwarded-for': ip });
/** Calls a route on one instance: the handler picks its app up synchronously, before its first await. */
function on<T>(app: TestApp, fn: () => Promise<T>): Promise<T> {
  setApp(app);
  return fn();
}

function fields(res: Response) {
  const rl = /^"(?<policy>[a-z-]+)";r=(?<r>\d+);t=(?<t>\d+)$/.exec(res.headers.get('ratelimit') ?? '');
  return {
    policy: res.headers.get('ratelimit-policy'),
    name: rl?.groups?.policy,
    r: rl ? Number(rl.groups!.r) : undefined,
    t: rl ? Number(rl.groups!.t) : undefined,
    retryAfter: res.headers.get('retry-after'),
  };
}

const count = async (sql: string) => (await t.db.query<{ n: number }>(`select count(*)::int as n from ${sql}`)).rows[0]!.n;

beforeAll(async () => {
  t = await createTestDatabase();
});
beforeEach(async () => {
  clockMs = T0;
  await t.db.query('truncate tasks, videos, queue_owners, task_events, credit_ledger, owners, client_limits cascade');
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.cleanup();
});
afterAll(async () => {
  await t.drop();
});

describe('the generate rate limit', () => {
  it('lets the quota through with the RateLimit fields, then answers 429 with Retry-After and changes nothing', async () => {
    await instance({ RATE_LIMIT_GENERATE_PER_MINUTE: '3', TRUST_PROXY: '1' });
    const seen: ReturnType<typeof fields>[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await generate('203.0.113.10');
      expect(res.status).toBe(202);
      seen.push(fields(res));
    }
    expect(seen.map((f) => f.policy)).toEqual(Array(3).fill('"generate";q=3;w=60'));
    expect(seen.map((f) => f.name)).toEqual(['generate', 'generate', 'generate']);
    expect(seen.map((f) => f.r)).toEqual([2, 1, 0]);
    const t0 = seen[0]!.t!;
    expect(t0).toBeGreaterThanOrEqual(1);
    expect(t0).toBeLessThanOrEqual(60);
    expect(seen.map((f) => f.t)).toEqual([t0, t0, t0]);

    const before = await fingerprint(t.db);
    const refused = await generate('203.0.113.10');
    expect(refused.status).toBe(429);
    const err = (await refused.json()).error;
    expect(err.code).toBe('rate_limited');
    expect(err.message).toMatch(new RegExp(`at most 3 every minute\\. Try again in ${t0} seconds`));
    expect(fields(refused)).toEqual({ policy: '"generate";q=3;w=60', name: 'generate', r: 0, t: t0, retryAfter: String(t0) });
    expect(await fingerprint(t.db)).toEqual(before);
    expect(await count('videos')).toBe(3);

    // t is exact: a second before the window ends the client is still refused, at its end it is let in.
    clockMs = T0 + (t0 - 1) * 1000;
    const early = await generate('203.0.113.10');
    expect(early.status).toBe(429);
    expect(fields(early)).toMatchObject({ r: 0, t: 1, retryAfter: '1' });
    clockMs = T0 + t0 * 1000;
    const next = await generate('203.0.113.10');
    expect(next.status).toBe(202);
    expect(fields(next)).toMatchObject({ r: 2, t: 60 });
  });

  it('counts per client: another address has its own quota', async () => {
    await instance({ RATE_LIMIT_GENERATE_PER_MINUTE: '1', TRUST_PROXY: '1' });
    expect((await generate('203.0.113.10')).status).toBe(202);
    expect((await generate('203.0.113.10')).status).toBe(429);
    expect((await generate('203.0.113.11')).status).toBe(202);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a forged header per request gets no fresh quota', async () => {
    await instance({ RATE_LIMIT_GENERATE_PER_MINUTE: '2' });
    expect((await generate('198.51.100.1')).status).toBe(202);
    expect((await generate('198.51.100.2')).status).toBe(202);
    expect((await generate('198.51.100.3')).status).toBe(429);
    expect((await t.db.query('select client, used from client_limits')).rows).toEqual([{ client: 'unknown', used: 2 }]);
  });

  it('counts IPv6 per /64: addresses in one /64 share a bucket, another /64 has its own', async () => {
    await instance({ RATE_LIMIT_GENERATE_PER_MINUTE: '2', TRUST_PROXY: '1' });
    expect((await generate('2001:db8:a:b::1')).status).toBe(202);
    expect((await generate('2001:db8:a:b:ffff:ffff:ffff:2')).status).toBe(202);
    expect((await generate('2001:db8:a:b::3')).status).toBe(429);
    expect((await generate('2001:db8:a:c::1')).status).toBe(202);
    expect((await t.db.query('select client, used from client_limits order by client')).rows).toEqual([
      { client: '2001:db8:a:b::/64', used: 2 },
      { client: '2001:db8:a:c::/64', used: 1 },
    ]);
  });

  it('holds across two instances sharing one database, under concurrent requests', async () => {
    const env = { RATE_LIMIT_GENERATE_PER_MINUTE: '5', TRUST_PROXY: '1' };
    const a = await instance(env, { db: t.connect() });
    const b = await instance(env, { db: t.connect() });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => on(i % 2 ? b : a, () => generate('203.0.113.20'))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(202), ...Array(15).fill(429)]);
    expect(await count('videos')).toBe(5);
    expect((await t.db.query('select used from client_limits')).rows).toEqual([{ used: 5 }]);
  });

  it('an instance whose clock runs behind counts in the window another instance opened', async () => {
    const env = { RATE_LIMIT_GENERATE_PER_MINUTE: '3', TRUST_PROXY: '1' };
    const ahead = await instance(env, { db: t.connect() });
    const behind = await instance(env, { db: t.connect(), skewMs: -60_000 });
    expect((await on(ahead, () => generate('203.0.113.30'))).status).toBe(202);
    expect((await on(ahead, () => generate('203.0.113.30'))).status).toBe(202);
    // A minute behind, its own window would be the previous one: it must neither reset nor move the count back.
    expect((await on(behind, () => generate('203.0.113.30'))).status).toBe(202);
    expect((await on(ahead, () => generate('203.0.113.30'))).status).toBe(429);
    expect((await on(behind, () => generate('203.0.113.30'))).status).toBe(429);
  });

  it('0 turns it off: no RateLimit fields, and nothing is counted', async () => {
    await instance({ RATE_LIMIT_GENERATE_PER_MINUTE: '0', RATE_LIMIT_ESTIMATE_PER_MINUTE: '0', TRUST_PROXY: '1' });
    for (let i = 0; i < 25; i++) {
      const g = await generate('203.0.113.40');
      expect(g.status).toBe(202);
      expect(g.headers.get('ratelimit')).toBeNull();
      const e = await estimate('203.0.113.40');
      expect(e.status).toBe(200);
      expect(e.headers.get('ratelimit-policy')).toBeNull();
    }
    expect(await count('client_limits')).toBe(0);
  });
});

describe('the estimate rate limit', () => {
  it('has its own quota and fields, and leaves generate alone', async () => {
    await instance({ RATE_LIMIT_ESTIMATE_PER_MINUTE: '2', TRUST_PROXY: '1' });
    for (const r of [1, 0]) {
      const res = await estimate('203.0.113.50');
      expect(res.status).toBe(200);
      expect(fields(res)).toMatchObject({ policy: '"estimate";q=2;w=60', name: 'estimate', r });
    }
    const before = await fingerprint(t.db);
    const refused = await estimate('203.0.113.50');
    expect(refused.status).toBe(429);
    const f = fields(refused);
    expect(f).toMatchObject({ policy: '"estimate";q=2;w=60', r: 0 });
    expect(f.retryAfter).toBe(String(f.t));
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect(await fingerprint(t.db)).toEqual(before);
    expect((await generate('203.0.113.50')).status).toBe(202);
  });

  it('does not count bad input: an invalid body is refused without touching the database', async () => {
    await instance({ RATE_LIMIT_ESTIMATE_PER_MINUTE: '1', TRUST_PROXY: '1' });
    for (let i = 0; i < 3; i++) {
      expect((await postJson(ESTIMATE, '/api/video/estimate', { sceneCount: 2 }, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(422);
    }
    expect(await count('client_limits')).toBe(0);
    expect((await estimate('203.0.113.51')).status).toBe(200);
  });
});

describe('defaults', () => {
  it('are 10 generates and 60 estimates a minute, 10 admin sign-ins in 15 minutes and 3 grants a day', () => {
    expect(loadConfig({}).limits).toEqual({ anonGrantsPerDay: 3, generatePerMinute: 10, estimatePerMinute: 60, adminLoginPer15Minutes: 10 });
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_GENERATE_PER_MINUTE: '-1' })).toThrow();
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow();
  });
});
