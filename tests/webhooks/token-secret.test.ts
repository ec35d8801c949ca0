// The token CLI prints an API token owner's webhook secret: the same one GET /api/me shows that owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as ME } from '@/app/api/me/route';
import { TEST_SECRET, createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, checkContract } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { runTokenCli } from '../helpers/token-cli';

// These answers are the API's too: each is checked against the OpenAPI document.
checkContract();

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

// The test's database and the test app's signing secret and data.
const run = (args: string[]) => runTokenCli(args, { DATABASE_URL: t.url!, SIGNING_SECRET: TEST_SECRET, DATA_DIR: app.dataDir });

describe('npm run token:webhook-secret', () => {
  it('prints the token owner\'s whsec_ secret, the one /api/me shows; an unknown token is an error', async () => {
    const created = await run(['create', '--credits', '5', '--name', 'hooks']);
    expect(created.code).toBe(0);
    const tokenId = /Token id:\s+(\S+)/.exec(created.out)![1]!;
    const token = /Token:\s+(cf_\S+)/.exec(created.out)![1]!;

    const printed = await run(['webhook-secret', tokenId]);
    expect(printed.code).toBe(0);
    const secret = /Webhook secret:\s+(whsec_\S+)/.exec(printed.out)?.[1];
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const me = await (await call(ME, { url: '/api/me', headers: { authorization: `Bearer ${token}` } })).json();
    expect(me.webhooks).toEqual({ secret, previousSecretSignsUntil: null });

    const unknown = await run(['webhook-secret', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/No token/);
  });
});
