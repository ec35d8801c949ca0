import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as OVERVIEW } from '@/app/api/admin/overview/route';
import { POST as PROCESS_NEXT } from '@/app/api/admin/process-next/route';
import { DELETE as LOGOUT, POST as LOGIN } from '@/app/api/admin/session/route';
import { POST as REQUEUE } from '@/app/api/admin/tasks/requeue-dead/route';
import { POST as CANCEL } from '@/app/api/admin/videos/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/admin/videos/[id]/retry/route';
import { GET as METRICS } from '@/app/api/metrics/route';
import { ADMIN_COOKIE, sessionValue } from '@/lib/admin/auth';
import { startSession } from '@/lib/admin/sessions';
import { adminPageState } from '@/lib/admin/page-state';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, postJson } from '../helpers/http';
import { ADMIN_TOKEN, NOW } from './seed';

let t: TestDatabase;
let app: TestApp | undefined;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const overview = (headers: Record<string, string> = {}) => call(OVERVIEW, { url: '/api/admin/overview', headers });

async function useApp(env: Record<string, string>): Promise<TestApp> {
  app = await createTestApp(t.db, { env, now: () => NOW });
  return app;
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});
afterAll(async () => {
  await t.drop();
});

describe('admin API authentication', () => {
  it('answers 401 without a token or with a wrong one, and 200 with the right Bearer token', async () => {
    await useApp({ ADMIN_TOKEN });
    expect((await overview()).status).toBe(401);
    expect((await overview(bearer('nope'))).status).toBe(401);
    expect((await overview(bearer(`${ADMIN_TOKEN}x`))).status).toBe(401);
    expect((await overview({ authorization: ADMIN_TOKEN })).status).toBe(401);
    const wrong = await overview(bearer('nope'));
    expect((await wrong.json()).error.code).toBe('unauthorized');
    const ok = await overview(bearer(ADMIN_TOKEN));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses tokens shorter than 16 characters: ADMIN_TOKEN=a keeps the admin area closed, a short METRICS_TOKEN closes metrics', async () => {
    await useApp({ ADMIN_TOKEN: 'a' });
    expect((await overview(bearer('a'))).status).toBe(404);
    expect((await postJson(LOGIN, '/api/admin/session', { token: 'a' })).status).toBe(404);
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer('a') })).status).toBe(404);
    await useApp({ ADMIN_TOKEN, METRICS_TOKEN: 'm' });
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer('m') })).status).toBe(404);
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer(ADMIN_TOKEN) })).status).toBe(404);
    expect((await overview(bearer(ADMIN_TOKEN))).status).toBe(200);
  });

  it('fails closed: with ADMIN_TOKEN unset every admin route and the metrics answer 404, even with a token', async () => {
    await useApp({});
    const id = '00000000-0000-4000-8000-000000000001';
    const responses = await Promise.all([
      overview(bearer('anything')),
      postJson(LOGIN, '/api/admin/session', { token: 'anything' }),
      call(LOGOUT, { url: '/api/admin/session', method: 'DELETE' }),
      call(RETRY, { url: `/api/admin/videos/${id}/retry`, method: 'POST', params: { id }, headers: bearer('anything') }),
      call(CANCEL, { url: `/api/admin/videos/${id}/cancel`, method: 'POST', params: { id }, headers: bearer('anything') }),
      call(REQUEUE, { url: '/api/admin/tasks/requeue-dead', method: 'POST', headers: bearer('anything') }),
      call(PROCESS_NEXT, { url: '/api/admin/process-next', method: 'POST', headers: bearer('anything') }),
      call(METRICS, { url: '/api/metrics', headers: bearer('anything') }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    const events = await t.db.query("select count(*)::int as n from task_events where type = 'admin_action'");
    expect(events.rows[0]).toEqual({ n: 0 });
  });

  it('signs in with the token: an httpOnly SameSite=Strict cookie holding an HMAC, never the token', async () => {
    const a = await useApp({ ADMIN_TOKEN });
    const bad = await postJson(LOGIN, '/api/admin/session', { token: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect((await postJson(LOGIN, '/api/admin/session', { token: ADMIN_TOKEN, extra: 1 })).status).toBe(422);

    const res = await postJson(LOGIN, '/api/admin/session', { token: ADMIN_TOKEN });
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${ADMIN_COOKIE}=[0-9a-f-]{36}\\.\\d+\\.[\\w-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0]!;
    expect((await overview({ cookie })).status).toBe(200);
    const id = cookie.split('=')[1]!.split('.')[0]!;
    expect(cookie).toBe(`${ADMIN_COOKIE}=${sessionValue(id, ADMIN_TOKEN, a.secret, NOW)}`);
    expect((await t.db.query('select ended_at from admin_sessions where id = $1::uuid', [id])).rows).toEqual([{ ended_at: null }]);

    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const https = await postJson(LOGIN, 'https://cueframe.example/api/admin/session', { token: ADMIN_TOKEN });
    const secureCookie = https.headers.get('set-cookie')!;
    expect(secureCookie).toMatch(/^__Host-cf_admin=[0-9a-f-]{36}\./);
    expect(secureCookie).toMatch(/; Path=\/; .*; Secure$/);
    expect((await call(OVERVIEW, { url: 'https://cueframe.example/api/admin/overview', headers: { cookie: secureCookie.split(';')[0]! } })).status).toBe(200);
    expect(setCookie).not.toContain('Secure');

    const out = await call(LOGOUT, { url: '/api/admin/session', method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${ADMIN_COOKIE}=; .*Max-Age=0`));
    // Signing out ends the session on the server: the old cookie, kept anywhere, no longer works.
    expect((await overview({ cookie })).status).toBe(401);
    expect(await adminPageState(cookie.split('=')[1])).toBe('signed-out');
  });

  it('refuses forged, tampered, expired and other-token cookies', async () => {
    await useApp({ ADMIN_TOKEN });
    const good = await startSession(t.db, ADMIN_TOKEN, TEST_SECRET, NOW);
    const [id, expires, mac] = good.split('.') as [string, string, string];
    const forged = [
      ADMIN_TOKEN,
      `${id}.${expires}.${'A'.repeat(43)}`,
      `${id}.${Number(expires) + 3600}.${mac}`,
      `${id}.${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${expires}.${mac}`,
      sessionValue(id, ADMIN_TOKEN, 'another-signing-secret-0123456789', NOW),
      sessionValue(id, 'another-admin-token-0123456789', TEST_SECRET, NOW),
      sessionValue(id, ADMIN_TOKEN, TEST_SECRET, new Date(NOW.getTime() - 13 * 3600 * 1000)),
      // Signed correctly, but no sign-in ever started it.
      sessionValue(randomUUID(), ADMIN_TOKEN, TEST_SECRET, NOW),
      '%zz',
      '',
    ];
    for (const value of forged) {
      const res = await overview({ cookie: `${ADMIN_COOKIE}=${value}` });
      expect(res.status, value).toBe(401);
    }
    expect((await overview({ cookie: `${ADMIN_COOKIE}=${good}` })).status).toBe(200);
  });

  it('metrics take METRICS_TOKEN, falling back to ADMIN_TOKEN; never the session cookie', async () => {
    await useApp({ ADMIN_TOKEN });
    expect((await call(METRICS, { url: '/api/metrics' })).status).toBe(401);
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer('nope') })).status).toBe(401);
    const cookie = `${ADMIN_COOKIE}=${await startSession(t.db, ADMIN_TOKEN, TEST_SECRET, NOW)}`;
    expect((await call(METRICS, { url: '/api/metrics', headers: { cookie } })).status).toBe(401);
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
    await app!.cleanup();

    await useApp({ ADMIN_TOKEN, METRICS_TOKEN: 'metrics-token-0123' });
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer(ADMIN_TOKEN) })).status).toBe(401);
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer('metrics-token-0123') })).status).toBe(200);
    await app!.cleanup();

    await useApp({ METRICS_TOKEN: 'metrics-token-0123' });
    expect((await call(METRICS, { url: '/api/metrics', headers: bearer('metrics-token-0123') })).status).toBe(200);
    expect((await overview(bearer('metrics-token-0123'))).status).toBe(404);
  });
});

describe('the /admin page state', () => {
  it('is disabled without ADMIN_TOKEN, and signed in only with a valid session cookie', async () => {
    await useApp({});
    expect(await adminPageState(undefined)).toBe('disabled');
    await app!.cleanup();
    await useApp({ ADMIN_TOKEN });
    expect(await adminPageState(undefined)).toBe('signed-out');
    expect(await adminPageState('123.forged')).toBe('signed-out');
    expect(await adminPageState(sessionValue(randomUUID(), ADMIN_TOKEN, TEST_SECRET, NOW))).toBe('signed-out');
    expect(await adminPageState(await startSession(t.db, ADMIN_TOKEN, TEST_SECRET, NOW))).toBe('signed-in');
  });
});
