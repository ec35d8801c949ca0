// End to end with the real OpenAI and Runway providers against faithful stand-ins of their HTTP
// APIs (msw): a real MP4 whose narration and length come from the "API" responses.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { workerDeps } from '@/lib/app';
import { createCommand, runCommand } from '@/lib/media/ffmpeg';
import { probe } from '@/lib/media/probe';
import { runInvocation } from '@/lib/pipeline/worker';
import type { VideoView } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie, postJson } from '../helpers/http';
import { waitFor } from '../helpers/wait';
import { FIXTURE_AUDIO_MS, makeOpenAIFixtures, openaiHandlers, type RecordedRequest } from '../helpers/openai-msw';
import { CLIP_HOST, RUNWAY_KEY, createFakeRunway } from '../providers/runway/fake-runway';

const dir = path.join(os.tmpdir(), `cueframe-e2e-${process.pid}`);
const server = setupServer();
const openaiLog: RecordedRequest[] = [];
const runway = createFakeRunway({ script: ['RUNNING', 'SUCCEEDED'] });
let t: TestDatabase;
let app: TestApp;
let clock = Date.parse('2030-01-01T00:00:00Z');
const owner = ownerCookie();

beforeAll(async () => {
  await fs.mkdir(dir, { recursive: true });
  const fixtures = await makeOpenAIFixtures(dir);
  const clip = path.join(dir, 'runway.mp4');
  await runCommand(createCommand().input('testsrc2=s=640x360:r=25:d=5').inputOptions(['-f', 'lavfi'])
    .outputOptions(['-c:v', 'libx264', '-pix_fmt', 'yuv420p']).output(clip));
  const clipBytes = await fs.readFile(clip);
  server.listen({ onUnhandledRequest: 'error' });
  server.use(
    // Runway's output URL serves a real (5 s, 640x360, 25 fps) clip.
    http.get(`${CLIP_HOST}/:file`, () => new HttpResponse(clipBytes, { headers: { 'content-type': 'video/mp4' } })),
    ...runway.handlers,
    ...openaiHandlers(fixtures, openaiLog),
  );
  t = await createTestDatabase();
  app = await createTestApp(t.db, {
    env: { OPENAI_API_KEY: 'sk-test-0123456789', RUNWAYML_API_SECRET: RUNWAY_KEY, STARTING_CREDITS: '100000' },
    now: () => new Date(clock),
  });
});
afterAll(async () => {
  server.close();
  await app.cleanup();
  await t.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs invocations until the video is done, moving the clock past a waiting remote job's next check. */
async function drain(id: string): Promise<VideoView> {
  const deps = workerDeps(app);
  for (let i = 0; i < 50; i++) {
    const r = await runInvocation(deps, 'manual');
    if (!r.processed) {
      const v = await status(id);
      if (['completed', 'failed', 'cancelled'].includes(v.status)) return v;
      clock += 6_000;
    }
  }
  throw new Error('video did not finish');
}

async function status(id: string): Promise<VideoView> {
  const res = await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: owner.cookie }, params: { id } });
  return res.json();
}

async function finalFile(id: string): Promise<string> {
  const file = path.join(dir, `${id}.mp4`);
  const { video_key } = (await t.db.query<{ video_key: string }>('select video_key from videos where id = $1::uuid', [id])).rows[0]!;
  await app.storage.download(video_key, file);
  return file;
}

describe('OpenAI provider end to end (msw)', () => {
  it.each([
    ['9:16', 720, 1280],
    ['16:9', 1280, 720],
    ['1:1', 720, 720],
  ] as const)('%s: narration audio, length of the narration, %ix%i', async (aspectRatio, width, height) => {
    const res = await postJson(GENERATE, '/api/video/generate',
      { topic: 'Lighthouses', sceneCount: 2, aspectRatio, provider: 'openai', motion: 'kenburns', voice: 'nova', burnCaptions: true },
      { cookie: owner.cookie });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const v = await drain(id);
    expect(v).toMatchObject({ status: 'completed', provider: 'openai', voice: 'nova', burnCaptions: true });
    const p = await probe(await finalFile(id));
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ codec: 'h264', width, height });
    expect(p.streams.filter((s) => s.type === 'audio')).toHaveLength(1);
    // Each scene lasts exactly as long as its narration.
    expect(Math.abs(p.durationMs - 2 * FIXTURE_AUDIO_MS)).toBeLessThan(200);
    for (const s of v.scenes) expect(Math.abs(s.durationMs! - FIXTURE_AUDIO_MS)).toBeLessThan(100);
    expect(v.usage).toMatchObject({ images: 2, llmTokens: 444 });
    expect(v.usage.ttsCharacters).toBeGreaterThan(20);
    // Two gpt-image-1 images at medium quality are at least 2 x $0.042 by lib/pricing.ts.
    expect(v.usage.costUsd).toBeGreaterThan(0.08);
    const speech = openaiLog.filter((r) => r.url.endsWith('/audio/speech')).at(-1)!;
    expect(speech.body).toMatchObject({ voice: 'nova' });
  });

  it('narrates the person’s own script verbatim in its language, the model only picturing it', async () => {
    const paragraphs = ['Leuchttürme wiesen Schiffen den Weg nach Hause.', 'Heute arbeiten die meisten ganz ohne Wärter.'];
    const from = openaiLog.length;
    const res = await postJson(GENERATE, '/api/video/generate',
      { topic: 'Leuchttürme', script: paragraphs.join('\n\n'), language: 'de', provider: 'openai', voice: 'onyx' },
      { cookie: owner.cookie });
    expect(res.status).toBe(202);
    const v = await drain((await res.json()).id);
    expect(v).toMatchObject({ status: 'completed', sceneCount: 2, language: 'de', music: 'calm', musicVolume: 0.3 });
    // The stand-in model answers with narration of its own ("Scene 1 narration…"): none of it is used.
    expect(v.scenes.map((s) => s.narration)).toEqual(paragraphs);
    expect(v.scenes.map((s) => s.visualPrompt)).toEqual(['A watercolour lighthouse at dusk, view 1', 'A watercolour lighthouse at dusk, view 2']);
    const calls = openaiLog.slice(from);
    const chat = calls.filter((r) => r.url.endsWith('/chat/completions'));
    expect(chat).toHaveLength(1);
    expect(JSON.stringify(chat[0]!.body.messages)).toContain('Language of the script: German (de)');
    const spoken = calls.filter((r) => r.url.endsWith('/audio/speech')).map((r) => r.body);
    expect(spoken.map((b) => b.input).sort()).toEqual([...paragraphs].sort());
    for (const b of spoken) expect(b).toMatchObject({ voice: 'onyx', instructions: expect.stringMatching(/^Speak in German,/) });
  });
});

describe('Runway motion end to end (msw)', () => {
  it('creates one remote job, waits across invocations without sleeping, then muxes it to the narration', async () => {
    const res = await postJson(GENERATE, '/api/video/generate',
      { topic: 'Waves', sceneCount: 1, aspectRatio: '16:9', provider: 'openai', motion: 'runway' }, { cookie: owner.cookie });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const v = await drain(id);
    expect(v.status).toBe('completed');
    expect(runway.count('POST')).toBe(1);
    expect(runway.count('GET', '/v1/tasks/')).toBe(2);
    expect(runway.tasks[0]!.body).toMatchObject({ ratio: '1280:720', duration: 5 });
    // Created → waiting; polled RUNNING → waiting; polled SUCCEEDED → done. No attempt was spent waiting.
    const waits = await t.db.query("select 1 from task_events where type = 'waiting'");
    expect(waits.rowCount).toBe(2);
    const render = await t.db.query("select attempts, checkpoint from tasks where video_id = $1::uuid and kind = 'render'", [id]);
    expect(render.rows[0]).toMatchObject({ attempts: 1, checkpoint: expect.objectContaining({ taskId: 'task-1' }) });
    const p = await probe(await finalFile(id));
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ width: 1280, height: 720 });
    expect(Math.abs(p.durationMs - FIXTURE_AUDIO_MS)).toBeLessThan(200);
    expect(v.usage.runwaySeconds).toBe(5);
  });

  it('cancelling a video while its Runway job runs cancels the remote job too', async () => {
    const res = await postJson(GENERATE, '/api/video/generate',
      { topic: 'Cancel me', sceneCount: 1, provider: 'openai', motion: 'runway' }, { cookie: owner.cookie });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const deps = workerDeps(app);
    // Plan, then the render that creates the remote job and waits.
    expect((await runInvocation(deps, 'manual')).processed).toMatchObject({ step: 'plan' });
    expect((await runInvocation(deps, 'manual')).processed).toMatchObject({ step: 'render', outcome: 'waiting' });
    const job = runway.tasks.at(-1)!;
    expect(job.cancelled).toBe(false);
    const cancelled = await call(CANCEL, { url: '/x', method: 'POST', headers: { cookie: owner.cookie }, params: { id } });
    expect(cancelled.status).toBe(200);
    // The route cancels remote jobs after answering; outside a request that work runs detached, so wait for it.
    await waitFor(() => job.cancelled);
    const task = await t.db.query("select status, checkpoint from tasks where video_id = $1::uuid and kind = 'render'", [id]);
    expect(task.rows).toEqual([{ status: 'cancelled', checkpoint: null }]);
  });

  it('refuses providers this server has no key for at enqueue, writing nothing', async () => {
    await createTestApp(t.db);
    try {
      const before = await t.db.query<{ n: number }>('select count(*)::int as n from videos');
      for (const body of [{ topic: 'x', provider: 'openai' }, { topic: 'x', motion: 'runway' }]) {
        const r = await postJson(GENERATE, '/api/video/generate', body, { cookie: owner.cookie });
        expect(r.status).toBe(422);
        const err = (await r.json()).error;
        expect(err.code).toBe('provider_unavailable');
        expect(err.message).toMatch(/isn’t set up on this server/);
        expect(err.message).not.toMatch(/[A-Z_]{6,}/);
      }
      const after = await t.db.query<{ n: number }>('select count(*)::int as n from videos');
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    } finally {
      // createTestApp replaced the process-wide App; put the provider-enabled one back.
      const { setApp } = await import('@/lib/app');
      setApp(app);
    }
  });
});
