// API tokens: created by command, stored hashed, act as their owner, and stop working when revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { GET as LIST } from '@/app/api/videos/route';
import { createToken, hashToken, revokeToken } from '@/lib/auth/tokens';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, postJson } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { runTokenCli } from '../helpers/token-cli';

let t: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { providers: fakeProviders() });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

// The test's database.
const run = (args: string[]) => runTokenCli(args, { DATABASE_URL: t.url! });

describe('API tokens', () => {
  it('npm run token:create makes a hashed token with credits that authenticates as its owner', async () => {
    const created = await run(['create', '--credits', '40', '--name', 'ci']);
    expect(created.code).toBe(0);
    const token = /Token:\s+(cf_\S+)/.exec(created.out)![1]!;
    const ownerId = /Owner:\s+(\S+)/.exec(created.out)![1]!;
    const stored = await t.db.query('select token_hash from api_tokens');
    expect(stored.rows).toEqual([{ token_hash: hashToken(token) }]);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    expect((await t.db.query('select balance from owners where id = $1::text', [ownerId])).rows).toEqual([{ balance: 40 }]);

    const auth = { authorization: `Bearer ${token}` };
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'By token' }, auth);
    expect(res.status).toBe(202);
    expect(res.headers.get('set-cookie')).toBeNull();
    const { id } = await res.json();
    expect((await t.db.query('select owner_id from videos where id = $1::uuid', [id])).rows).toEqual([{ owner_id: ownerId }]);
    expect((await call(STATUS, { url: `/x/${id}`, headers: auth, params: { id } })).status).toBe(200);
    const listed = await (await call(LIST, { url: '/api/videos', headers: auth })).json();
    expect(listed.videos.map((v: { id: string }) => v.id)).toEqual([id]);

    const tokenId = /Token id:\s+(\S+)/.exec(created.out)![1]!;
    const revoked = await run(['revoke', tokenId]);
    expect(revoked.code).toBe(0);
    const after = await call(STATUS, { url: `/x/${id}`, headers: auth, params: { id } });
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe('unauthorized');
  });

  it('unknown, malformed and revoked tokens get 401 and write nothing', async () => {
    const t2 = await createToken(t.db, { name: 'x', credits: 5, now: new Date() });
    await revokeToken(t.db, t2.id, new Date());
    const before = await t.db.query<{ n: number }>('select count(*)::int as n from videos');
    for (const token of ['cf_nope', 'not-a-token', t2.token, `${t2.token}x`, '']) {
      const res = await postJson(GENERATE, '/api/video/generate', { topic: 'x' }, { authorization: `Bearer ${token}` });
      if (token === '') {
        // "Bearer " with nothing after it is no token at all: the cookie path applies.
        expect(res.status).toBe(202);
        continue;
      }
      expect(res.status, token).toBe(401);
    }
    const after = await t.db.query<{ n: number }>('select count(*)::int as n from videos');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
  });
});
