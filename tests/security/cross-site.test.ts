// Cookie-authenticated writes from other sites are refused (Sec-Fetch-Site, Origin); bearer calls are not
// affected; and one rule decides the cookies' Secure flag and their __Host- name.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as ME } from '@/app/api/me/route';
import { POST as REQUEUE } from '@/app/api/admin/tasks/requeue-dead/route';
import { ADMIN_COOKIE } from '@/lib/admin/auth';
import { startSession } from '@/lib/admin/sessions';
import { issueOwnerCookie, SECURE_OWNER_COOKIE } from '@/lib/auth/owner';
import { createToken } from '@/lib/auth/tokens';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp | undefined;

async function counts() {
  const r = await t.db.query<{ videos: number; tasks: number; owners: number }>(
    'select (select count(*) from videos)::int as videos, (select count(*) from tasks)::int as tasks, (select count(*) from owners)::int as owners',
  );
  return r.rows[0]!;
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

describe('cross-site writes with the owner cookie', () => {
  it('refuses Sec-Fetch-Site: cross-site and a foreign Origin with 403, changing nothing', async () => {
    app = await createTestApp(t.db);
    const { cookie } = ownerCookie();
    const made = await postJson(GENERATE, '/api/video/generate', { topic: 'Mine' }, { cookie, origin: 'http://localhost:3000' });
    expect(made.status).toBe(202);
    const { id } = await made.json();
    const before = await counts();
    const hostile: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
      // A same-site subdomain gets past SameSite=Lax; its Origin still gives it away.
      { origin: 'http://evil.localhost:3000', 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      // A forwarded host counts only behind a trusted proxy.
      { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    ];
    for (const headers of hostile) {
      const gen = await call(GENERATE, { url: '/api/video/generate', method: 'POST', headers: { cookie, 'content-type': 'text/plain', ...headers }, body: '{"topic":"x"}' });
      expect(gen.status, JSON.stringify(headers)).toBe(403);
      expect((await gen.json()).error.code).toBe('forbidden');
      const cancel = await call(CANCEL, { url: `/api/video/${id}/cancel`, method: 'POST', params: { id }, headers: { cookie, ...headers } });
      expect(cancel.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await counts()).toEqual(before);
    const v = await t.db.query('select status from videos where id = $1::uuid', [id]);
    expect(v.rows).toEqual([{ status: 'queued' }]);
  });

  it('lets through its own origin, same-origin fetches, reads from anywhere, and ALLOWED_ORIGINS', async () => {
    app = await createTestApp(t.db, { env: { ALLOWED_ORIGINS: 'https://studio.example.com' } });
    const { cookie } = ownerCookie();
    const fine: Record<string, string>[] = [{}, { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }, { origin: 'https://studio.example.com' }];
    for (const headers of fine) {
      const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Fine' }, { cookie, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(202);
    }
    expect((await call(ME, { url: '/api/me', headers: { cookie, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } })).status).toBe(200);
  });

  it('believes X-Forwarded-Host and -Proto with TRUST_PROXY', async () => {
    app = await createTestApp(t.db, { env: { TRUST_PROXY: '1' } });
    const { cookie } = ownerCookie();
    const headers = { cookie, origin: 'https://cueframe.example', 'x-forwarded-host': 'cueframe.example', 'x-forwarded-proto': 'https' };
    expect((await postJson(GENERATE, '/api/video/generate', { topic: 'Proxied' }, headers)).status).toBe(202);
  });

  it('leaves bearer-token calls alone', async () => {
    app = await createTestApp(t.db);
    const { token } = await createToken(t.db, { name: 'ci', credits: 100, now: new Date() });
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'From a script' },
      { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(202);
  });
});

describe('cross-site writes with the admin session cookie', () => {
  it('are refused even though the cookie is SameSite=Strict (a same-site subdomain still sends it); the bearer token is not', async () => {
    const token = 'admin-token-for-cross-site-0123';
    app = await createTestApp(t.db, { env: { ADMIN_TOKEN: token } });
    const cookie = `${ADMIN_COOKIE}=${await startSession(t.db, token, TEST_SECRET, new Date())}`;
    const foreign = { origin: 'http://tools.localhost:3000', 'sec-fetch-site': 'same-site' };
    const refused = await call(REQUEUE, { url: '/api/admin/tasks/requeue-dead', method: 'POST', headers: { cookie, ...foreign } });
    expect(refused.status).toBe(403);
    expect((await t.db.query("select count(*)::int as n from task_events where type = 'admin_action'")).rows).toEqual([{ n: 0 }]);
    expect((await call(REQUEUE, { url: '/api/admin/tasks/requeue-dead', method: 'POST', headers: { cookie } })).status).toBe(200);
    expect((await call(REQUEUE, { url: '/api/admin/tasks/requeue-dead', method: 'POST', headers: { authorization: `Bearer ${token}`, ...foreign } })).status).toBe(200);
  });
});

describe('owner cookies: one Secure rule, and the __Host- name under https', () => {
  it('over http: cf_owner without Secure, even when X-Forwarded-Proto says https and no proxy is trusted', async () => {
    app = await createTestApp(t.db);
    const res = await call(ME, { url: '/api/me', headers: { 'x-forwarded-proto': 'https' } });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^cf_owner=/);
    expect(setCookie).not.toContain('Secure');
  });

  it('over https (or behind a trusted proxy that says so): __Host-cf_owner, Secure, Path=/, no Domain', async () => {
    app = await createTestApp(t.db);
    const direct = (await call(ME, { url: 'https://cueframe.example/api/me' })).headers.get('set-cookie')!;
    await app.cleanup();
    app = await createTestApp(t.db, { env: { TRUST_PROXY: '1' } });
    const proxied = (await call(ME, { url: '/api/me', headers: { 'x-forwarded-proto': 'https' } })).headers.get('set-cookie')!;
    for (const setCookie of [direct, proxied]) {
      expect(setCookie).toMatch(new RegExp(`^${SECURE_OWNER_COOKIE}=anon_`));
      expect(setCookie).toContain('; Secure');
      expect(setCookie).toContain('; Path=/');
      expect(setCookie).not.toMatch(/Domain=/i);
    }
  });

  it('keeps an existing owner: the old cf_owner cookie is read under https and re-issued as __Host-cf_owner', async () => {
    app = await createTestApp(t.db);
    const legacy = issueOwnerCookie(TEST_SECRET, false);
    const made = await postJson(GENERATE, 'https://cueframe.example/api/video/generate', { topic: 'Before the prefix' },
      { cookie: `cf_owner=${legacy.value}` });
    expect(made.status).toBe(202);
    const reissued = made.headers.get('set-cookie')!;
    expect(reissued).toMatch(new RegExp(`^${SECURE_OWNER_COOKIE}=${legacy.id}\\.`));
    const { id } = await made.json();
    const owner = await t.db.query('select owner_id from videos where id = $1::uuid', [id]);
    expect(owner.rows).toEqual([{ owner_id: legacy.id }]);
    // With the new cookie alone, the same owner, and nothing more to set.
    const again = await call(ME, { url: 'https://cueframe.example/api/me', headers: { cookie: reissued.split(';')[0]! } });
    expect(again.headers.get('set-cookie')).toBeNull();
  });
});
