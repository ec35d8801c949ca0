// What a request for a provider or motion the server has no key for is told: a 422 on the field, in
// words a person can act on, naming no setting, and for a batch the member's own field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db);
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

async function refusal(body: unknown) {
  const res = await postJson(GENERATE, '/api/video/generate', body, { cookie: ownerCookie().cookie });
  expect(res.status).toBe(422);
  return (await res.json()).error as { code: string; message: string; issues: { path: string; message: string }[] };
}

describe('a provider or motion this server has no key for', () => {
  it('is refused on its field with what to choose instead, in words', async () => {
    const openai = await refusal({ topic: 'Tides', provider: 'openai' });
    expect(openai).toMatchObject({
      code: 'provider_unavailable',
      message: 'OpenAI isn’t set up on this server, so it can’t make this video. Choose the free local engine (provider "local") instead.',
    });
    expect(openai.issues).toEqual([{ path: 'provider', message: openai.message }]);
    const runway = await refusal({ topic: 'Tides', motion: 'runway' });
    expect(runway.issues).toEqual([{ path: 'motion', message: expect.stringMatching(/^Runway isn’t set up on this server/) }]);
    for (const e of [openai, runway]) expect(e.message).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
  });

  it('names the batch member’s field, as validation does', async () => {
    const err = await refusal([{ topic: 'Tides' }, { topic: 'Waves', motion: 'runway' }]);
    expect(err.code).toBe('provider_unavailable');
    expect(err.issues.map((i) => i.path)).toEqual(['1.motion']);
    const written = await t.db.query<{ n: number }>('select count(*)::int as n from videos');
    expect(written.rows[0]!.n).toBe(0);
  });
});
