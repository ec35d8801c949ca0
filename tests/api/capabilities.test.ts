import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as CAPABILITIES } from '@/app/api/capabilities/route';
import { GET as HEALTH, POST as HEALTH_POST } from '@/app/api/health/route';
import { setApp } from '@/lib/app';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await app?.cleanup();
  await t.drop();
});

describe('GET /api/capabilities and /api/health', () => {
  it('offers only the providers this server has keys for, with the reason for the others', async () => {
    app = await createTestApp(t.db);
    const bare = await (await call(CAPABILITIES, { url: '/api/capabilities' })).json();
    expect(bare.providers).toEqual([
      { name: 'local', available: true, reason: null },
      { name: 'openai', available: false, reason: expect.stringMatching(/OPENAI_API_KEY/) },
    ]);
    expect(bare.motions.find((m: { name: string }) => m.name === 'runway')).toMatchObject({ available: false });
    expect(bare.defaults).toEqual({ provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'calm', musicVolume: 0.3 });
    // Voices are per provider; every language is narrated by both, planned by the local provider only in English.
    expect(bare.voices).toEqual({ local: ['ava', 'leo', 'iris', 'max'], openai: expect.arrayContaining(['alloy', 'nova']) });
    expect(bare.languages.map((l: { code: string }) => l.code)).toEqual(['en', 'es', 'fr', 'de', 'it', 'pt']);
    expect(bare.languages.find((l: { code: string }) => l.code === 'es')).toEqual(
      { code: 'es', name: 'Español', providers: ['local', 'openai'], plannedBy: ['openai'] });
    expect(bare.music).toEqual(['none', 'calm', 'bright', 'pulse']);
    await app.cleanup();
    setApp(null);
    app = await createTestApp(t.db, { env: { OPENAI_API_KEY: 'sk-x', RUNWAYML_API_SECRET: 'rk-x', VIDEO_PROVIDER: 'openai' } });
    const keyed = await (await call(CAPABILITIES, { url: '/api/capabilities' })).json();
    expect(keyed.providers.every((p: { available: boolean }) => p.available)).toBe(true);
    expect(keyed.motions.every((m: { available: boolean }) => m.available)).toBe(true);
    expect(keyed.defaults).toMatchObject({ provider: 'openai', voice: 'alloy' });
  });

  it('health answers static JSON without touching the database', async () => {
    const res = await HEALTH();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('health takes a JSON body by POST (the bench\'s bare POST) and refuses anything else with a 4xx', async () => {
    const ok = await postJson(HEALTH_POST, '/api/health', { topic: 'anything' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    const text = await call(HEALTH_POST, { url: '/api/health', method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe('unsupported_media_type');
    const big = await call(HEALTH_POST, { url: '/api/health', method: 'POST', body: `"${'x'.repeat(70_000)}"`, headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    const broken = await call(HEALTH_POST, { url: '/api/health', method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect((await broken.json()).error.code).toBe('invalid_json');
  });
});
