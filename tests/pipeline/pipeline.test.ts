// The whole loop on real ffmpeg: request → plan → parallel scene renders (two at once, as the event log
// shows) → compose → signed URLs.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as FILE } from '@/app/api/files/[...key]/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { workerDeps } from '@/lib/app';
import { probe } from '@/lib/media/probe';
import { LEAD_IN_MS, TAIL_MS } from '@/lib/media/speech';
import { loadConfig } from '@/lib/config';
import { createProviders, type Providers } from '@/lib/providers';
import type { MotionName, MotionProvider } from '@/lib/providers/types';
import { runInvocation } from '@/lib/pipeline/worker';
import type { VideoView } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { eventCounts } from '../helpers/queue';
import { bandEnergy, db, decodeMono } from '../media/spectrum';
import { call, ownerCookie, postJson } from '../helpers/http';
import { waitFor } from '../helpers/wait';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
const tmp = path.join(os.tmpdir(), `cueframe-pipeline-${process.pid}`);

/** Holds each of the first `parties` arrivals until all of them have arrived (or, failing that, until `giveUpMs`). */
function rendezvous(parties: number, giveUpMs: number): { arrive(): Promise<void> } {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive() {
      arrived += 1;
      if (arrived === parties) open();
      if (arrived > parties) return Promise.resolve();
      // Never met: let the renders go on one by one, and the overlap assertion say what went wrong.
      const timer = setTimeout(open, giveUpMs);
      return all.finally(() => clearTimeout(timer));
    },
  };
}

/** When set, scene renders wait for each other here before they animate. */
let meeting: { arrive(): Promise<void> } | null = null;

/** The real local provider (spoken narration) and Ken Burns motion; renders can be made to meet. */
function meetingProviders(): Providers {
  const real = createProviders(loadConfig({}));
  const motion = (name: MotionName): MotionProvider => {
    const m = real.motion(name);
    return { ...m, animate: async (input, opts) => (await meeting?.arrive(), m.animate(input, opts)) };
  };
  return { content: (name) => real.content(name), motion };
}

/**
 * Two workers drain the queue the way two concurrent invocations would. A worker that finds nothing to
 * claim while the other one holds the only task (the plan) waits for new work instead of stopping, so
 * both are there when the renders fan out.
 */
async function drain(): Promise<void> {
  const deps = workerDeps(app);
  const unfinished = async () => (await t.db.query<{ n: number }>(
    "select count(*)::int as n from videos where status not in ('completed', 'failed', 'cancelled')")).rows[0]!.n > 0;
  const claimable = async () => (await t.db.query(
    "select 1 from tasks where status = 'ready' and run_at <= now() limit 1")).rowCount > 0;
  await Promise.all([0, 1].map(async () => {
    while (await unfinished()) {
      if (!(await runInvocation(deps, 'manual')).processed) await waitFor(async () => !(await unfinished()) || (await claimable()));
    }
  }));
}

async function status(id: string): Promise<VideoView> {
  const res = await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: owner.cookie }, params: { id } });
  return res.json();
}

async function fetchFile(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const u = new URL(url, 'http://localhost');
  const key = u.pathname.replace(/^\/api\/files\//, '').split('/').map(decodeURIComponent);
  return call(FILE, { url: u.pathname + u.search, headers, params: { key } });
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { providers: meetingProviders() });
  await fs.mkdir(tmp, { recursive: true });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('pipeline', () => {
  it('turns a request into a playable MP4 with poster and captions, each task run exactly once', async () => {
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Tea: "a history"', sceneCount: 3 }, { cookie: owner.cookie });
    const { id } = await res.json();
    meeting = rendezvous(2, 20_000);
    try {
      await drain();
    } finally {
      meeting = null;
    }

    const v = await status(id);
    expect(v).toMatchObject({ status: 'completed', progress: 100, stepLabel: 'Done', error: null, width: 1280, height: 720 });
    expect(v.scenes.map((s) => s.status)).toEqual(['rendered', 'rendered', 'rendered']);
    // Each scene lasts as long as its spoken narration (a few seconds of it), and the video as long as its scenes.
    const sceneTotal = v.scenes.reduce((n, s) => n + s.durationMs!, 0);
    for (const s of v.scenes) expect(s.durationMs).toBeGreaterThan(1_500);
    expect(Math.abs(v.durationMs! - sceneTotal)).toBeLessThan(100);

    const video = await fetchFile(v.videoUrl!);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(tmp, 'final.mp4');
    await fs.writeFile(file, Buffer.from(await video.arrayBuffer()));
    const p = await probe(file);
    expect(p.streams.filter((s) => s.type === 'video')).toEqual([expect.objectContaining({ codec: 'h264', width: 1280, height: 720 })]);
    expect(p.streams.filter((s) => s.type === 'audio')).toEqual([expect.objectContaining({ codec: 'aac' })]);
    expect(Math.abs(p.durationMs - v.durationMs!)).toBeLessThan(100);

    const tampered = v.videoUrl!.replace(/sig=([\w-])/, (_, c) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect((await fetchFile(tampered)).status).toBe(403);
    const poster = await fetchFile(v.posterUrl!);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const vtt = await (await fetchFile(v.captionsUrl!)).text();
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    // Cues follow the narration sentence by sentence, in order, each where it is spoken: the first after
    // the narrator's lead-in, a pause between sentences, and the last before the video's end.
    // (tests/pipeline/speech.test.ts holds each boundary to the sentence's measured audio.)
    const times = [...vtt.matchAll(/(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})/g)];
    expect(times.length).toBeGreaterThanOrEqual(3);
    const ms = (m: RegExpMatchArray, o: number) => ((+m[o]! * 60 + +m[o + 1]!) * 60 + +m[o + 2]!) * 1000 + +m[o + 3]!;
    expect(ms(times[0]!, 1)).toBe(LEAD_IN_MS);
    const lastEnd = ms(times[times.length - 1]!, 5);
    expect(lastEnd).toBeLessThan(v.durationMs!);
    expect(v.durationMs! - lastEnd).toBeLessThan(TAIL_MS + 100);
    for (let i = 1; i < times.length; i++) expect(ms(times[i]!, 1)).toBeGreaterThanOrEqual(ms(times[i - 1]!, 5));
    const download = await fetchFile(v.downloadUrl!);
    // Named after the topic, by the key itself: Vercel Blob names a download after its pathname.
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="tea-a-history.mp4"');
    expect((await download.arrayBuffer()).byteLength).toBe((await fs.stat(file)).size);
    const clip = await fetchFile(v.scenes[1]!.clipUrl!, { range: 'bytes=0-99' });
    expect(clip.status).toBe(206);
    expect((await clip.arrayBuffer()).byteLength).toBe(100);

    const events = await eventCounts(t.db);
    const tasks = await t.db.query<{ id: string; kind: string }>('select id, kind from tasks where video_id = $1::uuid', [id]);
    expect(tasks.rows.map((r) => r.kind).sort()).toEqual(['compose', 'plan', 'render', 'render', 'render']);
    for (const task of tasks.rows) expect(events.get(task.id)).toMatchObject({ claimed: 1, completed: 1 });

    // Two renders overlapped: each started before the other finished. The event log's ids give the
    // order in which the events were written.
    const steps = await t.db.query<{ id: string; task_id: string; type: string }>(
      `select e.id, e.task_id, e.type from task_events e join tasks k on k.id = e.task_id
       where k.video_id = $1::uuid and k.kind = 'render' and e.type in ('step_started', 'step_finished')`, [id]);
    const runs = new Map<string, { start: number; end: number }>();
    for (const e of steps.rows) {
      const run = runs.get(e.task_id) ?? { start: NaN, end: NaN };
      run[e.type === 'step_started' ? 'start' : 'end'] = Number(e.id);
      runs.set(e.task_id, run);
    }
    const all = [...runs.values()];
    expect(all).toHaveLength(3);
    const overlapping = all.flatMap((a) => all.filter((b) => a !== b && a.start < b.end && b.start < a.end));
    expect(overlapping.length, `render step intervals (event ids): ${JSON.stringify(all)}`).toBeGreaterThan(0);
  });

  it('lays the music bed under the narration at the narration\'s length; no bed (none, or volume 0) leaves the audio as it was', async () => {
    const make = async (music: string, musicVolume: number) => {
      const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Music under tea', sceneCount: 2, music, musicVolume }, { cookie: owner.cookie });
      expect(res.status).toBe(202);
      return (await res.json()).id as string;
    };
    const ids = { bed: await make('bright', 1), none: await make('none', 1), silent: await make('calm', 0) };
    await drain();
    const audio: Record<string, Float32Array> = {};
    const lengths: Record<string, number> = {};
    for (const [name, id] of Object.entries(ids)) {
      const v = await status(id);
      expect(v.status).toBe('completed');
      const file = path.join(tmp, `music-${name}.mp4`);
      await app.storage.download(`videos/${id}/music-under-tea.mp4`, file);
      const p = await probe(file);
      expect(p.streams.map((s) => [s.type, s.codec])).toEqual([['video', 'h264'], ['audio', 'aac']]);
      lengths[name] = p.durationMs;
      audio[name] = await decodeMono(file, 16000);
    }
    // The same script is spoken in each, so each lasts as long as that speech, bed or not.
    expect(Math.abs(lengths.bed! - lengths.none!)).toBeLessThan(50);
    expect(lengths.silent).toBe(lengths.none);
    // The bed's audio is exactly as long as the narration's (within one AAC frame).
    expect(Math.abs(audio.bed!.length - audio.none!.length)).toBeLessThanOrEqual(341);
    // Two renders of the same speech are not bit-identical (the voices' breath is noise), so the bed is
    // found where the voice has almost nothing: below 100 Hz, where the bed's bass line plays.
    const low = (a: Float32Array) => db(bandEnergy(a, 16000, 2048, 40, 100).reduce((x, y) => x + y, 0));
    const [bed, none, silent] = [low(audio.bed!), low(audio.none!), low(audio.silent!)];
    expect(bed - none).toBeGreaterThan(5);
    // A bed at volume 0 adds nothing.
    expect(Math.abs(silent - none)).toBeLessThan(3);
  });

  it.each([
    ['9:16', '720p', 720, 1280],
    ['1:1', '720p', 720, 720],
    ['21:9', '720p', 1680, 720],
    ['4:3', '1080p', 1440, 1080],
  ] as const)('renders %s %s at %ix%i', async (aspectRatio, resolution, width, height) => {
    const res = await postJson(GENERATE, '/api/video/generate', { topic: `Shape ${aspectRatio}`, sceneCount: 1, aspectRatio, resolution }, { cookie: owner.cookie });
    const { id } = await res.json();
    await drain();
    const v = await status(id);
    expect(v.status).toBe('completed');
    const file = path.join(tmp, `${id}.mp4`);
    await app.storage.download(`videos/${id}/shape-${aspectRatio.replace(':', '-')}.mp4`, file);
    const p = await probe(file);
    expect(p.streams.find((s) => s.type === 'video')).toMatchObject({ width, height });
    expect(p.streams.filter((s) => s.type === 'audio')).toHaveLength(1);
    expect(Math.abs(p.durationMs - v.durationMs!)).toBeLessThan(100);
  });
});
