// POST /api/video/estimate with a music bed: the quote's time includes the bed, its credits do not move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as ESTIMATE } from '@/app/api/video/estimate/route';
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

const quote = async (body: unknown) => {
  const res = await postJson(ESTIMATE, '/api/video/estimate', body, { cookie: ownerCookie().cookie });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ credits: number; estimatedSeconds: number; items: { credits: number; estimatedSeconds: number }[] }>;
};

describe('POST /api/video/estimate with music', () => {
  it('quotes the default bed (calm at 0.3) in the time, and nothing for none', async () => {
    const byDefault = await quote({ topic: 'Tides', sceneCount: 12 });
    const calm = await quote({ topic: 'Tides', sceneCount: 12, music: 'calm', musicVolume: 0.3 });
    const none = await quote({ topic: 'Tides', sceneCount: 12, music: 'none' });
    const silent = await quote({ topic: 'Tides', sceneCount: 12, music: 'pulse', musicVolume: 0 });
    expect(byDefault).toEqual(calm);
    expect(calm.estimatedSeconds).toBeGreaterThan(none.estimatedSeconds);
    expect(silent).toEqual(none);
    expect(calm.credits).toBe(none.credits);
  });

  it('quotes each item of a batch with its own bed', async () => {
    const batch = await quote([{ topic: 'a', sceneCount: 12, music: 'none' }, { topic: 'b', sceneCount: 12, music: 'bright', musicVolume: 1 }]);
    expect(batch.items[1]!.estimatedSeconds).toBeGreaterThan(batch.items[0]!.estimatedSeconds);
    expect(batch.estimatedSeconds).toBe(batch.items[1]!.estimatedSeconds);
  });
});
