// The happy path and the promise that matters most: one Runway job per scene, however many
// invocations, retries or crashes it takes to see it through.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aspectRatios } from '@/lib/media/dimensions';
import { CLIP_BYTES, RUNWAY_KEY } from './fake-runway';
import { MAX_WAIT_MS, POLL_MS, runwayHarness, T0 } from './harness';
import { exists, IMAGE_BYTES, memoryCheckpoint, sceneInput, useMswServer, useTempDir } from './kit';

const server = useMswServer();
const tempDir = useTempDir();
const signal = () => new AbortController().signal;

describe('Runway motion', () => {
  it('creates one job, polls it without creating another, then downloads, muxes and reports usage', async () => {
    const { fake, mux, make } = runwayHarness(server);
    const motion = make();
    const input = await sceneInput(await tempDir());
    const checkpoint = memoryCheckpoint();

    expect(await motion.animate(input, { signal: signal(), checkpoint })).toEqual({ status: 'pending', checkAfterMs: POLL_MS });
    expect(fake.tasks).toHaveLength(1);
    expect(checkpoint.data).toEqual({ taskId: fake.tasks[0].id, createdAt: T0, duration: 5 });

    const [post] = fake.requests;
    expect(post.headers.get('authorization')).toBe(`Bearer ${RUNWAY_KEY}`);
    expect(post.headers.get('x-runway-version')).toBe('2024-11-06');
    expect(post.headers.get('content-type')).toBe('application/json');
    expect(fake.tasks[0].body).toEqual({
      model: 'gen4_turbo',
      promptImage: `data:image/png;base64,${IMAGE_BYTES.toString('base64')}`,
      promptText: 'Slow waves rolling onto a moonlit beach',
      ratio: '1280:720',
      duration: 5,
    });

    for (let i = 1; i <= 2; i++) {
      expect(await motion.animate(input, { signal: signal(), checkpoint })).toEqual({ status: 'pending', checkAfterMs: POLL_MS });
      expect(fake.tasks[0].polls).toBe(i);
    }
    expect(mux.calls).toHaveLength(0);

    const done = await motion.animate(input, { signal: signal(), checkpoint });
    expect(done).toEqual({ status: 'done', durationMs: 4200, usage: [{ item: 'runway_seconds', quantity: 5, model: 'gen4_turbo' }] });
    expect(fake.count('POST')).toBe(1);
    expect(fake.count('GET')).toBe(3);
    for (const r of fake.requests) expect(r.headers.get('x-runway-version')).toBe('2024-11-06');
    expect(fake.downloads).toBe(1);

    expect(mux.calls).toHaveLength(1);
    const [{ spec, videoBytes, signal: muxSignal }] = mux.calls;
    expect(spec).toEqual({
      videoPath: expect.any(String), audioPath: input.audioPath, durationMs: 4200, width: 1280, height: 720,
      captions: input.burnCaptions, outPath: input.outPath,
    });
    expect(muxSignal).toBeInstanceOf(AbortSignal);
    expect(videoBytes.equals(CLIP_BYTES)).toBe(true);
    expect(path.dirname(spec.videoPath)).toBe(path.dirname(input.outPath));
    expect(await exists(spec.videoPath)).toBe(false);
    expect((await fs.readFile(input.outPath)).equals(CLIP_BYTES)).toBe(true);
  });

  it('after a crash, a new provider instance with the saved checkpoint only polls the existing job', async () => {
    const { fake, make } = runwayHarness(server, { script: ['RUNNING', 'SUCCEEDED'] });
    const input = await sceneInput(await tempDir());
    const first = memoryCheckpoint();
    await make().animate(input, { signal: signal(), checkpoint: first });

    // What the queue reloads from the task row in the next invocation.
    const reloaded = memoryCheckpoint(JSON.parse(JSON.stringify(first.data)));
    expect(await make().animate(input, { signal: signal(), checkpoint: reloaded })).toMatchObject({ status: 'pending' });
    expect(await make().animate(input, { signal: signal(), checkpoint: reloaded })).toMatchObject({ status: 'done' });
    expect(fake.count('POST')).toBe(1);
    expect(fake.count('GET')).toBe(2);
    expect(reloaded.saves).toEqual([]);
  });

  it('sends the ratio from the seed 002 table for every aspect ratio', async () => {
    const { fake, make } = runwayHarness(server);
    const motion = make();
    const dir = await tempDir();
    const expected = { '16:9': '1280:720', '9:16': '720:1280', '4:3': '1104:832', '3:4': '832:1104', '1:1': '960:960', '21:9': '1584:672' };
    for (const aspectRatio of aspectRatios) {
      await motion.animate(await sceneInput(dir, { scene: { aspectRatio } }), { signal: signal(), checkpoint: memoryCheckpoint() });
    }
    expect(fake.tasks.map((t) => t.body.ratio)).toEqual(aspectRatios.map((a) => expected[a]));
  });

  it('asks for 5 s up to 5 s of narration and 10 s beyond, and bills what it asked for', async () => {
    const { fake, make } = runwayHarness(server, { script: ['SUCCEEDED'] });
    const motion = make();
    const dir = await tempDir();
    const durations = [];
    for (const audioDurationMs of [1000, 5000, 5001, 14_000]) {
      const input = await sceneInput(dir, { audioDurationMs });
      const checkpoint = memoryCheckpoint();
      await motion.animate(input, { signal: signal(), checkpoint });
      const done = await motion.animate(input, { signal: signal(), checkpoint });
      expect(done).toMatchObject({ status: 'done', durationMs: audioDurationMs });
      durations.push(done.status === 'done' ? done.usage[0].quantity : null);
    }
    expect(fake.tasks.map((t) => t.body.duration)).toEqual([5, 5, 10, 10]);
    expect(durations).toEqual([5, 5, 10, 10]);
  });

  it('shortens an over-long visual prompt to what Runway accepts', async () => {
    const { fake, make } = runwayHarness(server);
    const input = await sceneInput(await tempDir(), { scene: { visualPrompt: 'waves '.repeat(300) } });
    await make().animate(input, { signal: signal(), checkpoint: memoryCheckpoint() });
    expect(fake.tasks[0].body.promptText).toHaveLength(1000);
  });

  it('keeps polling a job that has not yet run over the wait limit', async () => {
    const { fake, make, advance } = runwayHarness(server, { script: ['THROTTLED', 'PENDING'] });
    const motion = make();
    const input = await sceneInput(await tempDir());
    const checkpoint = memoryCheckpoint();
    await motion.animate(input, { signal: signal(), checkpoint });
    advance(MAX_WAIT_MS);
    expect(await motion.animate(input, { signal: signal(), checkpoint })).toMatchObject({ status: 'pending' });
    expect(await motion.animate(input, { signal: signal(), checkpoint })).toMatchObject({ status: 'pending' });
    expect(fake.count('DELETE')).toBe(0);
    expect(checkpoint.saves).toHaveLength(1);
  });
});
