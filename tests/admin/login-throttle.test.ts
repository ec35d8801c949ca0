// The admin sign-in is throttled per client: RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES attempts, then
// 429 for every attempt, the right token included, until the window ends.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as OVERVIEW } from '@/app/api/admin/overview/route';
import { POST as LOGIN } from '@/app/api/admin/session/route';
import { GET as METRICS } from '@/app/api/metrics/route';
import { ADMIN_COOKIE } from '@/lib/admin/auth';
import { startSession } from '@/lib/admin/sessions';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, postJson } from '../helpers/http';
import { fingerprint } from '../security/kit';
import { ADMIN_TOKEN, NOW } from './seed';

let t: TestDatabase;
let app: TestApp | undefined;
let clockMs = NOW.getTime();

async function useApp(env: Record<string, string>): Promise<TestApp> {
  app = await createTestApp(t.db, { env: { ADMIN_TOKEN, TRUST_PROXY: '1', ...env }, now: () => new Date(clockMs) });
  return app;
}
const login = (token: string, ip = '203.0.113.66') => postJson(LOGIN, '/api/admin/session', { token }, { 'x-forwarded-for': ip });

beforeAll(async () => {
  t = await createTestDatabase();
});
beforeEach(async () => {
  clockMs = NOW.getTime();
  await t.db.query('truncate client_limits');
});
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});
afterAll(async () => {
  await t.drop();
});

describe('admin sign-in throttle', () => {
  it('200 wrong tokens in a burst: 10 are checked, the other 190 get 429 with Retry-After and the RateLimit fields', async () => {
    await useApp({ RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '10' });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login(`wrong-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
    const refused = answers.find((r) => r.status === 429)!;
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect(refused.headers.get('ratelimit-policy')).toBe('"admin-login";q=10;w=900');
    const t429 = /^"admin-login";r=0;t=(\d+)$/.exec(refused.headers.get('ratelimit') ?? '')?.[1];
    expect(Number(t429)).toBeGreaterThanOrEqual(1);
    expect(Number(t429)).toBeLessThanOrEqual(900);
    expect(refused.headers.get('retry-after')).toBe(t429);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });

  it('counts down on each attempt, then refuses even the right token until the window ends', async () => {
    await useApp({ RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '3' });
    const first = await login('wrong');
    expect(first.status).toBe(401);
    expect(first.headers.get('ratelimit')).toMatch(/^"admin-login";r=2;t=\d+$/);
    const ok = await login(ADMIN_TOKEN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('set-cookie')).toMatch(/^cf_admin=/);
    expect(ok.headers.get('ratelimit')).toMatch(/^"admin-login";r=1;t=\d+$/);
    expect((await login('wrong')).status).toBe(401);

    const before = await fingerprint(t.db);
    const right = await login(ADMIN_TOKEN);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(await fingerprint(t.db)).toEqual(before);

    // Another client is not held back by this one; this one gets in again once its window ends.
    expect((await login(ADMIN_TOKEN, '203.0.113.67')).status).toBe(204);
    clockMs += Number(right.headers.get('retry-after')) * 1000;
    expect((await login(ADMIN_TOKEN)).status).toBe(204);
  });

  it('does not count a malformed body: it cannot be a guess', async () => {
    await useApp({ RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '1' });
    for (let i = 0; i < 3; i++) expect((await postJson(LOGIN, '/api/admin/session', { token: ADMIN_TOKEN, extra: 1 }, { 'x-forwarded-for': '203.0.113.66' })).status).toBe(422);
    expect((await login(ADMIN_TOKEN)).status).toBe(204);
  });

  it('0 turns it off', async () => {
    await useApp({ RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '0' });
    for (let i = 0; i < 30; i++) {
      const res = await login('wrong');
      expect(res.status).toBe(401);
      expect(res.headers.get('ratelimit')).toBeNull();
    }
    expect((await login(ADMIN_TOKEN)).status).toBe(204);
    expect((await t.db.query('select 1 from client_limits')).rowCount).toBe(0);
  });

  it('wrong Bearer tokens on admin routes and metrics count against the same limit; past it the right one gets 429 too', async () => {
    await useApp({ RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '3' });
    const ip = { 'x-forwarded-for': '203.0.113.68' };
    const overview = (headers: Record<string, string>) => call(OVERVIEW, { url: '/api/admin/overview', headers: { ...ip, ...headers } });
    const metrics = (token: string) => call(METRICS, { url: '/api/metrics', headers: { ...ip, authorization: `Bearer ${token}` } });
    // The right token is not counted, however often it is used.
    for (let i = 0; i < 5; i++) expect((await overview({ authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
    // No Authorization header guesses nothing, so it is not counted either (a dashboard whose session expired).
    for (let i = 0; i < 5; i++) expect((await overview({})).status).toBe(401);
    expect((await t.db.query('select 1 from client_limits')).rowCount).toBe(0);

    const wrong = await overview({ authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('ratelimit')).toMatch(/^"admin-login";r=2;t=\d+$/);
    expect((await metrics('nope')).status).toBe(401);
    expect((await login('nope', ip['x-forwarded-for'])).status).toBe(401);

    const right = await overview({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(right.status).toBe(429);
    expect(right.headers.get('ratelimit-policy')).toBe('"admin-login";q=3;w=900');
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await metrics(ADMIN_TOKEN)).status).toBe(429);
    expect((await login(ADMIN_TOKEN, ip['x-forwarded-for'])).status).toBe(429);
    // A signed session cannot be guessed, so it still works; so does the right token from elsewhere.
    const session = `${ADMIN_COOKIE}=${await startSession(t.db, ADMIN_TOKEN, TEST_SECRET, new Date(clockMs))}`;
    expect((await overview({ cookie: session })).status).toBe(200);
    expect((await call(OVERVIEW, { url: '/api/admin/overview', headers: { 'x-forwarded-for': '203.0.113.69', authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });
});
