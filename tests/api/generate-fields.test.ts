// The request fields beyond the topic: language, the person's own script, voice per provider, music
// and review. Each refusal is a 422 on the field before anything is written; what is accepted is
// stored as sent and reaches the planner.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/video/generate/route';
import { POST as ESTIMATE } from '@/app/api/video/estimate/route';
import { workerDeps } from '@/lib/app';
import { processOne } from '@/lib/pipeline/worker';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;

async function written() {
  const r = await t.db.query<{ n: number }>(
    'select (select count(*) from videos) + (select count(*) from tasks) + (select count(*) from credit_ledger) as n');
  return Number(r.rows[0]!.n);
}

async function refused(body: unknown, field: string) {
  const before = await written();
  const res = await postJson(POST, '/api/video/generate', body, { cookie: ownerCookie().cookie });
  expect(res.status).toBe(422);
  const err = (await res.json()).error;
  expect(err.issues.map((i: { path: string }) => i.path)).toContain(field);
  expect(await written()).toBe(before);
  return err.issues.find((i: { path: string }) => i.path === field).message as string;
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { env: { OPENAI_API_KEY: 'sk-test' } });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks cascade');
});

describe('generate: language, script, voice, music, review', () => {
  it('stores the defaults a person would want: English, the provider\'s first voice, a quiet bed, no review', async () => {
    const res = await postJson(POST, '/api/video/generate', { topic: 'Tides' }, { cookie: ownerCookie().cookie });
    expect(res.status).toBe(202);
    const row = (await t.db.query('select language, script, voice, music, music_volume, review, scene_count from videos')).rows[0];
    expect(row).toEqual({ language: 'en', script: null, voice: 'ava', music: 'calm', music_volume: 0.3, review: false, scene_count: 4 });
  });

  it('makes each paragraph of a script one scene, narrated verbatim, with any provider', async () => {
    const script = '  First paragraph, as written.\nStill the first.\n\n\nSecond one!  \n \nThird?';
    const res = await postJson(POST, '/api/video/generate',
      { topic: 'Mi guion', script, language: 'es', voice: 'leo', music: 'none', review: true }, { cookie: ownerCookie().cookie });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const row = (await t.db.query('select language, script, voice, music, review, scene_count from videos where id = $1', [id])).rows[0];
    expect(row).toEqual({
      language: 'es', script: 'First paragraph, as written.\nStill the first.\n\nSecond one!\n\nThird?', voice: 'leo',
      music: 'none', review: true, scene_count: 3,
    });
    // The plan step narrates the paragraphs as written.
    await processOne(workerDeps(app), { invocationId: 'w' });
    const scenes = (await t.db.query<{ narration: string }>('select narration from scenes where video_id = $1 order by index', [id])).rows;
    expect(scenes.map((s) => s.narration)).toEqual(['First paragraph, as written.\nStill the first.', 'Second one!', 'Third?']);
  });

  it('refuses scripts that cannot be scenes, naming the paragraph', async () => {
    expect(await refused({ topic: 'x', script: '\n \n' }, 'script')).toMatch(/empty/);
    expect(await refused({ topic: 'x', script: Array.from({ length: 13 }, (_, i) => `P${i}.`).join('\n\n') }, 'script')).toMatch(/13 paragraphs/);
    expect(await refused({ topic: 'x', script: `Short.\n\n${'a'.repeat(601)}` }, 'script.1')).toMatch(/Paragraph 2 has 601/);
    expect(await refused({ topic: 'x', script: 'x'.repeat(5001) }, 'script')).toMatch(/5,000/);
    expect(await refused({ topic: 'x', script: 'One.\n\nTwo.', sceneCount: 3 }, 'sceneCount')).toMatch(/2 paragraphs/);
    // A count that agrees with the script is fine.
    const ok = await postJson(POST, '/api/video/generate', { topic: 'x', script: 'One.\n\nTwo.', sceneCount: 2 }, { cookie: ownerCookie().cookie });
    expect(ok.status).toBe(202);
  });

  it('refuses a voice the provider does not have, and a language its planner cannot write without a script', async () => {
    expect(await refused({ topic: 'x', voice: 'alloy' }, 'voice')).toMatch(/local provider has no voice "alloy".*ava/);
    expect(await refused({ topic: 'x', provider: 'openai', voice: 'ava' }, 'voice')).toMatch(/openai/);
    expect(await refused({ topic: 'x', language: 'de' }, 'script')).toMatch(/Deutsch, write your own script/);
    expect(await refused({ topic: 'x', language: 'xx' }, 'language')).toBeTruthy();
    expect(await refused([{ topic: 'x' }, { topic: 'y', voice: 'nope' }], '1.voice')).toMatch(/nope/);
    expect(await refused({ topic: 'x', musicVolume: 1.5 }, 'musicVolume')).toBeTruthy();
    expect(await refused({ topic: 'x', music: 'drone' }, 'music')).toBeTruthy();
    // OpenAI plans in every language, so it needs no script.
    const res = await postJson(POST, '/api/video/generate', { topic: 'Gezeiten', provider: 'openai', language: 'de' }, { cookie: ownerCookie().cookie });
    expect(res.status).toBe(202);
    expect((await t.db.query('select voice, language from videos')).rows).toEqual([{ voice: 'alloy', language: 'de' }]);
  });

  it('estimates with the same rules', async () => {
    const res = await postJson(ESTIMATE, '/api/video/estimate', { topic: 'x', language: 'fr' }, { cookie: ownerCookie().cookie });
    expect(res.status).toBe(422);
    expect((await res.json()).error.issues[0].path).toBe('script');
  });
});
