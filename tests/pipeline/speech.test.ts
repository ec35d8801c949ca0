// The local provider's narration end to end: the final MP4 speaks, each scene lasts as long as its speech,
// the captions' boundaries are where each sentence's audio ends (not an estimate from its words), another
// language is spoken with its own voice, and a retried render that reuses the stored audio keeps its timing.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { workerDeps } from '@/lib/app';
import { loadConfig } from '@/lib/config';
import { probe } from '@/lib/media/probe';
import { LEAD_IN_MS, SENTENCE_PAUSE_MS, speakSentences, synthesize, type EngineVoice } from '@/lib/media/speech';
import { sceneCues } from '@/lib/pipeline/cues';
import { runInvocation } from '@/lib/pipeline/worker';
import { createProviders, type Providers } from '@/lib/providers';
import { createLocalProvider } from '@/lib/providers/local';
import { engineVoiceFor } from '@/lib/providers/local/voices';
import type { MotionProvider } from '@/lib/providers/types';
import { StepError } from '@/lib/steps/errors';
import { videoKeys } from '@/lib/storage/keys';
import type { VideoView } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie, postJson } from '../helpers/http';
import { envelope, measureSpeech, speechBandSamples } from '../helpers/speech-measure';

// One frame at 30 fps: a clip's length is whole frames, so a boundary may move by up to this much.
const FRAME_MS = 1000 / 30;

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
const tmp = path.join(os.tmpdir(), `cueframe-speech-${process.pid}`);

/** What the engine was asked to speak, in order. */
const asked: { sentences: string[]; voice: EngineVoice }[] = [];
/** Scenes whose next animation fails permanently, once. */
const failOnce = new Set<string>();
/** The captions each scene's motion was asked to burn in, by "videoId:sceneIndex". */
const burned = new Map<string, unknown>();

function providers(): Providers {
  const real = createProviders(loadConfig({}));
  const local = createLocalProvider({
    speak: async (spec, opts) => {
      asked.push({ sentences: spec.sentences, voice: spec.voice });
      return speakSentences(spec, opts);
    },
  });
  const motion = (name: string): MotionProvider => {
    const m = real.motion(name);
    return {
      ...m,
      async animate(input, opts) {
        const key = `${input.scene.videoId}:${input.scene.sceneIndex}`;
        burned.set(key, input.burnCaptions);
        if (failOnce.delete(key)) throw new StepError('refused', 'Refused once on purpose.', { permanent: true });
        return m.animate(input, opts);
      },
    };
  };
  return { content: () => local, motion };
}

async function drain(): Promise<void> {
  const deps = workerDeps(app);
  while ((await runInvocation(deps, 'manual')).processed) { /* one task per invocation */ }
}

async function status(id: string): Promise<VideoView> {
  const res = await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: owner.cookie }, params: { id } });
  return res.json();
}

async function generate(body: Record<string, unknown>): Promise<string> {
  const res = await postJson(GENERATE, '/api/video/generate', body, { cookie: owner.cookie });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(202);
  return (await res.json()).id;
}

interface VttCue {
  startMs: number;
  endMs: number;
  text: string;
}

function parseVtt(vtt: string): VttCue[] {
  const ms = (h: string, m: string, s: string, f: string) => ((+h * 60 + +m) * 60 + +s) * 1000 + +f;
  return vtt.split('\n\n').slice(1).filter(Boolean).map((block) => {
    const [timing, ...lines] = block.trim().split('\n');
    const m = /(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(timing!)!;
    return { startMs: ms(m[1]!, m[2]!, m[3]!, m[4]!), endMs: ms(m[5]!, m[6]!, m[7]!, m[8]!), text: lines.join(' ') };
  });
}

async function finalFiles(id: string, topic: string): Promise<{ mp4: string; vtt: VttCue[]; vttText: string }> {
  const keys = videoKeys(id);
  const mp4 = path.join(tmp, `${id}.mp4`);
  await app.storage.download(keys.final(topic), mp4);
  const vttPath = path.join(tmp, `${id}.vtt`);
  await app.storage.download(keys.captions, vttPath);
  const vttText = await fs.readFile(vttPath, 'utf8');
  return { mp4, vtt: parseVtt(vttText), vttText };
}

/** How long the engine speaks a sentence on its own, in ms. */
async function spokenMs(sentence: string, voice: EngineVoice): Promise<number> {
  const pcm = await synthesize(sentence, voice);
  return (pcm.samples.length * 1000) / pcm.sampleRate;
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { providers: providers() });
  await fs.mkdir(tmp, { recursive: true });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('local narration', () => {
  const topic = 'How bees make honey';
  const script = [
    'Bees visit thousands of flowers in a single day. Back in the hive, they fan the nectar until it thickens.',
    'That is honey.',
  ];

  it('speaks the final MP4, scene by scene as long as the speech, with captions where each sentence is spoken', async () => {
    asked.length = 0;
    // No music bed: this test listens for the silence between sentences.
    const id = await generate({ topic, script: script.join('\n\n'), voice: 'leo', music: 'none' });
    await drain();
    const v = await status(id);
    expect(v.status).toBe('completed');
    const { mp4, vtt } = await finalFiles(id, topic);

    // The final file's audio is speech: syllable-rate modulation and pauses in the speech band.
    const measured = await measureSpeech(mp4);
    expect(measured, JSON.stringify(measured)).toMatchObject({ isSpeech: true });

    // Each scene lasts as long as its narration audio, and the video as long as its scenes.
    const voice = engineVoiceFor('en', 'leo');
    expect(asked.map((a) => a.voice)).toEqual([voice, voice]);
    for (const [i, scene] of v.scenes.entries()) {
      const audio = path.join(tmp, `${id}-${i}.m4a`);
      await app.storage.download(videoKeys(id).sceneAudio(i), audio);
      expect(Math.abs(scene.durationMs! - (await probe(audio)).durationMs), `scene ${i + 1}`).toBeLessThanOrEqual(FRAME_MS);
    }
    const total = v.scenes.reduce((n, s) => n + s.durationMs!, 0);
    expect(Math.abs(v.durationMs! - total)).toBeLessThanOrEqual(2 * FRAME_MS);
    expect(Math.abs((await probe(mp4)).durationMs - v.durationMs!)).toBeLessThanOrEqual(2 * FRAME_MS);

    // The cues' boundaries are the sentences' real lengths: sentence 1 ends where its audio ends, and
    // sentence 2 starts one pause later and lasts as long as it takes to say.
    const [s1, s2] = ['Bees visit thousands of flowers in a single day.', 'Back in the hive, they fan the nectar until it thickens.'];
    const [len1, len2, len3] = await Promise.all([spokenMs(s1, voice), spokenMs(s2, voice), spokenMs(script[1]!, voice)]);
    expect(vtt.map((c) => c.text)).toEqual([s1, s2, script[1]]);
    const near = (actual: number, expected: number, what: string) => expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(FRAME_MS);
    near(vtt[0]!.startMs, LEAD_IN_MS, 'cue 1 start');
    near(vtt[0]!.endMs, LEAD_IN_MS + len1, 'cue 1 end');
    near(vtt[1]!.startMs, LEAD_IN_MS + len1 + SENTENCE_PAUSE_MS, 'cue 2 start');
    near(vtt[1]!.endMs, LEAD_IN_MS + len1 + SENTENCE_PAUSE_MS + len2, 'cue 2 end');
    // Scene 2's cue is offset by scene 1's length.
    near(vtt[2]!.startMs, v.scenes[0]!.durationMs! + LEAD_IN_MS, 'cue 3 start');
    near(vtt[2]!.endMs, v.scenes[0]!.durationMs! + LEAD_IN_MS + len3, 'cue 3 end');
    // An estimate from the text would put sentence 1's end elsewhere: the check above can tell them apart.
    const estimate = sceneCues(script[0]!, v.scenes[0]!.durationMs!);
    expect(Math.abs(estimate[0]!.endMs - vtt[0]!.endMs)).toBeGreaterThan(3 * FRAME_MS);

    // And in the final file itself, the voice falls silent between sentence 1's cue and sentence 2's.
    const env = envelope(await speechBandSamples(mp4));
    const level = (fromMs: number, toMs: number) => Math.max(...env.subarray(Math.ceil(fromMs / 10), Math.floor(toMs / 10)));
    const loud = level(0, v.durationMs!);
    expect(level(vtt[0]!.startMs, vtt[0]!.endMs)).toBeGreaterThan(loud / 3);
    expect(level(vtt[0]!.endMs + 40, vtt[1]!.startMs - 40)).toBeLessThan(loud / 50);

    // The cues are kept on the scene rows, relative to each scene's start.
    const rows = await t.db.query<{ cues: { text: string; startMs: number; endMs: number }[] | null }>(
      'select cues from scenes where video_id = $1::uuid order by index', [id]);
    expect(rows.rows.map((r) => r.cues?.map((c) => c.text))).toEqual([[s1, s2], [script[1]]]);
  });

  // With the default music bed: the speech measure must hear the voice over it.
  it('speaks Spanish with a Spanish voice, not the English one', async () => {
    asked.length = 0;
    const paragraphs = ['Las abejas recogen el néctar de miles de flores. En la colmena lo convierten en miel.', '¡Y así de fácil!'];
    const id = await generate({ topic: 'Cómo hacen miel las abejas', language: 'es', script: paragraphs.join('\n\n'), voice: 'leo', burnCaptions: true });
    await drain();
    expect((await status(id)).status).toBe('completed');
    const { mp4, vtt, vttText } = await finalFiles(id, 'Cómo hacen miel las abejas');
    // The captions say which language they are in.
    expect(vttText.startsWith('WEBVTT\nLanguage: es\n\n')).toBe(true);
    expect(asked.map((a) => a.voice.language)).toEqual(['es-419', 'es-419']);
    expect(asked[0]!.voice).toEqual(engineVoiceFor('es', 'leo'));
    expect(asked[0]!.voice).not.toEqual(engineVoiceFor('en', 'leo'));
    expect(asked.map((a) => a.sentences)).toEqual([
      ['Las abejas recogen el néctar de miles de flores.', 'En la colmena lo convierten en miel.'],
      ['¡Y así de fácil!'],
    ]);
    expect(vtt.map((c) => c.text)).toEqual(asked.flatMap((a) => a.sentences));
    expect((await measureSpeech(mp4)).isSpeech).toBe(true);
    // Burned-in captions get the same measured cues the scene row keeps (relative to the scene's start).
    const rows = await t.db.query<{ index: number; cues: unknown }>('select index, cues from scenes where video_id = $1::uuid order by index', [id]);
    for (const row of rows.rows) {
      expect(row.cues).not.toBeNull();
      expect(burned.get(`${id}:${row.index}`)).toEqual(row.cues);
    }
  });

  it('keeps the measured cues when a retried render reuses the stored narration', async () => {
    asked.length = 0;
    const id = await generate({ topic, script: script.join('\n\n'), voice: 'iris', music: 'none' });
    failOnce.add(`${id}:0`);
    await drain();
    expect((await status(id)).status).toBe('failed');
    const res = await call(RETRY, { method: 'POST', url: `/api/video/${id}/retry`, headers: { cookie: owner.cookie }, params: { id } });
    expect(res.status).toBe(202);
    await drain();
    const v = await status(id);
    expect(v.status).toBe('completed');
    // Scene 1 was spoken once: the retry reused its audio from storage, and its timing with it.
    expect(asked.filter((a) => a.sentences[0] === 'Bees visit thousands of flowers in a single day.')).toHaveLength(1);
    const voice = engineVoiceFor('en', 'iris');
    const len1 = await spokenMs('Bees visit thousands of flowers in a single day.', voice);
    const { vtt } = await finalFiles(id, topic);
    expect(Math.abs(vtt[0]!.endMs - (LEAD_IN_MS + len1))).toBeLessThanOrEqual(FRAME_MS);
    const rows = await t.db.query<{ cues: unknown }>('select cues from scenes where video_id = $1::uuid and index = 0', [id]);
    expect(rows.rows[0]!.cues).not.toBeNull();
  });
});
