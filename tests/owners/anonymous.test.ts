// Anonymous owners cost nothing until they ask for work: reading writes no row and no grant, and
// starting grants are capped per client address per day, so dropping the cookie farms nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as ME } from '@/app/api/me/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { createToken } from '@/lib/auth/tokens';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, checkContract, ownerCookie, postJson } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { waitFor } from '../helpers/wait';
import { fingerprint } from '../security/kit';

// These answers are the API's too: each is checked against the OpenAPI document.
checkContract();

// 20:00 UTC: the grant allowance renews in 4 hours.
const T0 = Date.parse('2031-05-04T20:00:00Z');

let t: TestDatabase;
let app: TestApp | undefined;
let clockMs = T0;

async function useApp(env: Record<string, string>): Promise<TestApp> {
  app = await createTestApp(t.db, { env: { TRUST_PROXY: '1', ...env }, providers: fakeProviders(), now: () => new Date(clockMs) });
  return app;
}

const body = { topic: 'Free credits', sceneCount: 1 };
/** A generate as a browser without a cookie (a new owner every time), or as the given cookie's owner. */
const generate = (ip: string, cookie?: string) =>
  postJson(GENERATE, '/api/video/generate', body, { 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) });
const me = (ip: string, cookie?: string) => call(ME, { url: '/api/me', headers: { 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) } });
const count = async (table: string) => (await t.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
const grants = async () => (await t.db.query<{ owner_id: string }>("select owner_id from credit_ledger where kind = 'grant' order by id")).rows;

beforeAll(async () => {
  t = await createTestDatabase();
});
beforeEach(async () => {
  clockMs = T0;
  await t.db.query('truncate tasks, videos, queue_owners, task_events, credit_ledger, owners, client_limits, api_tokens cascade');
});
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});
afterAll(async () => {
  await t.drop();
});

describe('reading writes nothing', () => {
  it('20 cookieless GET /api/me create no owner and no grant, and each answers the balance a new visitor would start with', async () => {
    // The limits at their defaults, as in production.
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '3', RATE_LIMIT_GENERATE_PER_MINUTE: '10', RATE_LIMIT_ESTIMATE_PER_MINUTE: '60' });
    const before = await fingerprint(t.db);
    for (let i = 0; i < 20; i++) {
      const res = await me('203.0.113.1');
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/^cf_owner=/);
      expect(await res.json()).toEqual({ balance: 100, tier: 'standard', ledger: [], webhooks: null });
    }
    expect(await count('owners')).toBe(0);
    expect(await count('credit_ledger')).toBe(0);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('a visitor with a cookie but no row yet reads without writing, and gets its row and grant on its first generate', async () => {
    await useApp({});
    const o = ownerCookie();
    for (let i = 0; i < 3; i++) expect(await (await me('203.0.113.2', o.cookie)).json()).toMatchObject({ balance: 100, ledger: [] });
    expect(await count('owners')).toBe(0);
    expect((await generate('203.0.113.2', o.cookie)).status).toBe(202);
    expect(await grants()).toEqual([{ owner_id: o.ownerId }]);
  });
});

describe('starting grants per client address', () => {
  it('past ANON_GRANTS_PER_IP_PER_DAY a new owner starts at 0: generate gets 402 saying why and what to do, and nothing is written', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '3' });
    for (let i = 0; i < 3; i++) expect((await generate('198.51.100.7')).status).toBe(202);
    expect(await grants()).toHaveLength(3);
    expect(await count('owners')).toBe(3);

    const before = await fingerprint(t.db);
    const refused = await generate('198.51.100.7');
    expect(refused.status).toBe(402);
    const { error } = await refused.json();
    expect(error.code).toBe('insufficient_credits');
    expect(error.message).toMatch(/You have 0 credits/);
    expect(error.message).toMatch(/at most 3 new visitors per network each day/);
    expect(error.message).toMatch(/Try again after midnight UTC \(in about 4 hours\)/);
    expect(error.message).toMatch(/API token/);
    expect(await fingerprint(t.db)).toEqual(before);

    // What such a visitor sees: 0, while another network's new visitor still sees the grant.
    expect(await (await me('198.51.100.7')).json()).toMatchObject({ balance: 0, ledger: [] });
    expect(await (await me('198.51.100.8')).json()).toMatchObject({ balance: 100 });
    expect((await generate('198.51.100.8')).status).toBe(202);
    // Owners that already have their grant are not affected by the cap.
    const first = (await grants())[0]!.owner_id;
    expect((await t.db.query('select balance from owners where id = $1::text', [first])).rows[0]).toEqual({ balance: 98 });
  });

  it('20 cookieless generates from one address fund 3 owners, not 20', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '3', RATE_LIMIT_GENERATE_PER_MINUTE: '0' });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await generate('198.51.100.9')).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
    expect(statuses.filter((s) => s === 402)).toHaveLength(17);
    expect(await count('owners')).toBe(3);
    expect(await count('videos')).toBe(3);
  });

  it('a refused visitor keeps its cookie and gets its grant once the allowance renews at midnight UTC', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '1' });
    expect((await generate('198.51.100.10')).status).toBe(202);
    const o = ownerCookie();
    expect((await generate('198.51.100.10', o.cookie)).status).toBe(402);
    clockMs = Date.parse('2031-05-04T23:59:59Z');
    expect((await generate('198.51.100.10', o.cookie)).status).toBe(402);
    clockMs = Date.parse('2031-05-05T00:00:00Z');
    expect(await (await me('198.51.100.10', o.cookie)).json()).toMatchObject({ balance: 100 });
    expect((await generate('198.51.100.10', o.cookie)).status).toBe(202);
    expect((await grants()).map((g) => g.owner_id)).toContain(o.ownerId);
  });

  it('counts an IPv6 /64 as one address', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '2' });
    expect((await generate('2001:db8:5:6::1')).status).toBe(202);
    expect((await generate('2001:db8:5:6::2')).status).toBe(202);
    expect((await generate('2001:db8:5:6:aaaa::3')).status).toBe(402);
    expect((await generate('2001:db8:5:7::1')).status).toBe(202);
  });

  it('concurrent first requests of one new owner spend one grant between them', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '3', MAX_ACTIVE_VIDEOS: '0' });
    const o = ownerCookie();
    const ip = '198.51.100.11';
    // Holds the address's grant counter, so that every request has found the owner missing and waits
    // to take a grant before the first one creates the owner: the race, made certain.
    await t.db.query("insert into client_limits (policy, client, resets_at, used) values ('anon-grant', $1::text, '2031-05-05T00:00:00Z', 0)", [ip]);
    const holder = t.connect();
    let pending: Promise<Response[]> | undefined;
    await holder.transaction(async (tx) => {
      await tx.query("select 1 from client_limits where policy = 'anon-grant' and client = $1::text for update", [ip]);
      pending = Promise.all(Array.from({ length: 6 }, () => generate(ip, o.cookie)));
      await waitFor(async () => (await t.db.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0]!.n === 6);
    });
    const answers = await pending!;
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(await grants()).toEqual([{ owner_id: o.ownerId }]);
    expect((await t.db.query("select used from client_limits where policy = 'anon-grant'")).rows).toEqual([{ used: 1 }]);
    // So the address still has its other two grants.
    expect((await generate(ip)).status).toBe(202);
    expect((await generate(ip)).status).toBe(202);
    expect((await generate(ip)).status).toBe(402);
  });

  it('API token owners are funded by their token, never by the anonymous allowance', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '1' });
    expect((await generate('198.51.100.12')).status).toBe(202);
    const token = await createToken(t.db, { name: 'ci', credits: 10, now: new Date(clockMs) });
    const res = await postJson(GENERATE, '/api/video/generate', body, { 'x-forwarded-for': '198.51.100.12', authorization: `Bearer ${token.token}` });
    expect(res.status).toBe(202);
    expect((await t.db.query("select used from client_limits where policy = 'anon-grant'")).rows).toEqual([{ used: 1 }]);
  });

  it('with STARTING_CREDITS=0 there is nothing to grant: no grant is counted, and generate gets 402', async () => {
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '3', STARTING_CREDITS: '0', RATE_LIMIT_GENERATE_PER_MINUTE: '100' });
    for (let i = 0; i < 4; i++) {
      const res = await generate('198.51.100.14');
      expect(res.status).toBe(402);
      expect((await res.json()).error.code).toBe('insufficient_credits');
    }
    expect(await grants()).toEqual([]);
    expect(await count("client_limits where policy = 'anon-grant'")).toBe(0);
    expect(await (await me('198.51.100.14')).json()).toMatchObject({ balance: 0 });
  });

  it('0 turns the cap off: every new owner gets its grant', async () => {
    // With the generate rate on, so that the admission statement runs and must skip the grant counter.
    await useApp({ ANON_GRANTS_PER_IP_PER_DAY: '0', RATE_LIMIT_GENERATE_PER_MINUTE: '100' });
    for (let i = 0; i < 8; i++) expect((await generate('198.51.100.13')).status).toBe(202);
    expect(await grants()).toHaveLength(8);
    expect(await (await me('198.51.100.13')).json()).toMatchObject({ balance: 100 });
    expect(await count("client_limits where policy = 'anon-grant'")).toBe(0);
  });
});
