// The per-client limits on two real `next start` processes sharing one PostgreSQL: what one server
// let through counts on the other, and reading pages or /api/me on either writes nothing.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '@/lib/auth/tokens';
import { windowEnd } from '@/lib/limits/quota';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ensureBuild, killAllServers, startServer, type ServerProcess } from '../helpers/server';

let t: TestDatabase;
let dataDir: string;
let a: ServerProcess;
let b: ServerProcess;

const count = async (table: string) => (await t.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

/** An address whose generate window has at least 20 s left, so a burst cannot straddle two windows. */
function addressWithTimeLeft(prefix: string): string {
  for (let i = 1; i < 255; i++) {
    const ip = `${prefix}.${i}`;
    if (windowEnd({ windowSeconds: 60 }, ip, new Date()).getTime() - Date.now() > 20_000) return ip;
  }
  throw new Error('no address found');
}

beforeAll(async () => {
  await ensureBuild();
  t = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-limits-'));
  const env = {
    SIGNING_SECRET: 'limits-test-secret-0123456789', SCHEDULER: 'off', TRUST_PROXY: '1',
    RATE_LIMIT_GENERATE_PER_MINUTE: '3', ANON_GRANTS_PER_IP_PER_DAY: '2', RATE_LIMIT_ESTIMATE_PER_MINUTE: '60',
  };
  [a, b] = await Promise.all(['limits-a', 'limits-b'].map((name) => startServer({ databaseUrl: t.url!, dataDir, env: { ...env, INSTANCE_ID: name } })));
}, 300_000);
afterAll(async () => {
  await killAllServers();
  await t?.drop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('per-client limits across two next start processes', () => {
  it('20 cookieless page views and /api/me reads on both servers create no owner, grant or counter', async () => {
    for (let i = 0; i < 20; i++) {
      const via = i % 2 ? b : a;
      const headers = { 'x-forwarded-for': '198.51.100.50' };
      const page = await fetch(`${via.baseUrl}/`, { headers });
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toMatch(/^cf_owner=/);
      await page.arrayBuffer();
      const me = await fetch(`${via.baseUrl}/api/me`, { headers });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ balance: 100, tier: 'standard', ledger: [], webhooks: null });
    }
    expect(await count('owners')).toBe(0);
    expect(await count('credit_ledger')).toBe(0);
    expect(await count('client_limits')).toBe(0);
  });

  it('a burst of generates split over both servers gets the quota once, not once per server', async () => {
    const ip = addressWithTimeLeft('203.0.113');
    const { token } = await createToken(t.db, { name: 'burst', credits: 1000, now: new Date() });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${(i % 2 ? b : a).baseUrl}/api/video/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
      body: JSON.stringify({ topic: `Burst ${i}`, sceneCount: 1 }),
    })));
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(3).fill(202), ...Array(7).fill(429)]);
    for (const r of answers.filter((x) => x.status === 429)) {
      expect(r.headers.get('ratelimit-policy')).toBe('"generate";q=3;w=60');
      const tSec = /^"generate";r=0;t=(\d+)$/.exec(r.headers.get('ratelimit') ?? '')?.[1];
      expect(Number(tSec)).toBeGreaterThan(0);
      expect(r.headers.get('retry-after')).toBe(tSec);
    }
    expect(await count('videos')).toBe(3);
  });

  it('cookieless generates on both servers fund ANON_GRANTS_PER_IP_PER_DAY owners, then get 402', async () => {
    const ip = addressWithTimeLeft('198.51.100');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${(i % 2 ? b : a).baseUrl}/api/video/generate`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ topic: `Free ${i}`, sceneCount: 1 }),
      });
      statuses.push(res.status);
      if (res.status === 402) expect((await res.json()).error.message).toMatch(/You have 0 credits/);
    }
    expect(statuses).toEqual([202, 202, 402]);
    expect((await t.db.query("select count(*)::int as n from credit_ledger where kind = 'grant'")).rows[0]).toEqual({ n: 3 }); // 2 + the token's
  });
});
