import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatClips } from '@/lib/media/compose';
import { muxWithAudio, type MuxSpec } from '@/lib/media/mux';
import { probeDetailed } from '@/lib/media/probe';
import { toneAudio } from '../helpers/audio-fixtures';
import { makeTmpDir } from './fixtures';
import { audioSamples, frameAt, makeTestClip, meanAbsDiff, peak } from './frames';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
const file = (name: string) => path.join(tmp.dir, name);

beforeAll(async () => {
  tmp = await makeTmpDir(`cueframe-mux it's %d `);
  await Promise.all([
    // A short silent clip at a foreign size and rate, like a provider's 5 s clip for 7 s of narration.
    makeTestClip(file('short.mp4'), { width: 640, height: 360, fps: 25, seconds: 2, withAudio: false }),
    // A long clip with its own loud audio, which must not survive.
    makeTestClip(file('long.mp4'), { width: 640, height: 360, fps: 24, seconds: 10, withAudio: true }),
    toneAudio({ durationMs: 5000, seed: 1, outPath: file('five.m4a') }),
    toneAudio({ durationMs: 3000, seed: 2, outPath: file('three.m4a') }),
  ]);
});
afterAll(async () => {
  await tmp?.cleanup();
});

const spec = (over: Partial<MuxSpec>): MuxSpec => ({
  videoPath: file('short.mp4'), audioPath: file('five.m4a'), durationMs: 5000, width: 1280, height: 720, captions: null, outPath: '', ...over,
});

async function expectScene(outPath: string, width: number, height: number, durationMs: number) {
  const probed = await probeDetailed(outPath);
  expect(Math.abs(probed.durationMs - durationMs)).toBeLessThanOrEqual(80);
  expect(probed.streams).toEqual([
    { type: 'video', codec: 'h264', width, height, pixFmt: 'yuv420p', frameRate: '30/1', profile: 'High' },
    { type: 'audio', codec: 'aac', sampleRate: 48000, channels: 2 },
  ]);
  return probed;
}

describe('muxWithAudio', () => {
  it('extends a 2 s 25 fps clip to 5 s of narration by holding its last frame', async () => {
    const outPath = file('extended.mp4');
    const result = await muxWithAudio(spec({ outPath }));
    const probed = await expectScene(outPath, 1280, 720, 5000);
    expect(result.durationMs).toBe(probed.durationMs);
    const [early, later, held, end] = await Promise.all([0.2, 1.5, 3, 4.9].map((t) => frameAt(outPath, t)));
    // testsrc's counter and moving gradient change the picture while the clip plays...
    expect(meanAbsDiff(early, later, 1280)).toBeGreaterThan(5);
    // ...and after it runs out the picture stands still rather than going black.
    expect(meanAbsDiff(held, end, 1280)).toBeLessThan(0.5);
    expect(meanAbsDiff(held, Buffer.alloc(held.length), 1280)).toBeGreaterThan(50);
  });

  it('cuts a 10 s clip to 3 s and replaces its audio with the narration', async () => {
    const outPath = file('trimmed.mp4');
    await muxWithAudio(spec({ videoPath: file('long.mp4'), audioPath: file('three.m4a'), durationMs: 3000, outPath }));
    await expectScene(outPath, 1280, 720, 3000);
    // The clip's own tone peaks above 0.5; the narration pad stays under 0.25.
    expect(peak(await audioSamples(outPath))).toBeLessThan(0.25);
  });

  it('covers a 9:16 frame from a 16:9 clip and burns captions only inside their cue', async () => {
    const plain = file('tall.mp4');
    const captioned = file('tall-captioned.mp4');
    const cue = { text: 'A caption long enough that a narrow portrait frame has to wrap it over two lines', startMs: 1000, endMs: 2000 };
    await Promise.all([
      muxWithAudio(spec({ width: 720, height: 1280, durationMs: 3000, audioPath: file('three.m4a'), outPath: plain })),
      muxWithAudio(spec({ width: 720, height: 1280, durationMs: 3000, audioPath: file('three.m4a'), captions: [cue], outPath: captioned })),
    ]);
    await expectScene(captioned, 720, 1280, 3000);
    const [inside, insidePlain, before, beforePlain] = await Promise.all([
      frameAt(captioned, 1.5), frameAt(plain, 1.5), frameAt(captioned, 0.3), frameAt(plain, 0.3),
    ]);
    // Covered, not letterboxed: the top rows hold picture rather than a black bar.
    expect(meanAbsDiff(insidePlain, Buffer.alloc(insidePlain.length), 720, 0, 100)).toBeGreaterThan(50);
    expect(meanAbsDiff(inside, insidePlain, 720, 1000, 1280)).toBeGreaterThan(10);
    expect(meanAbsDiff(before, beforePlain, 720)).toBeLessThan(0.5);
  });

  it('produces clips compose can stream-copy', async () => {
    const a = file('a.mp4');
    const b = file('b.mp4');
    await Promise.all([
      muxWithAudio(spec({ durationMs: 1000, audioPath: file('three.m4a'), outPath: a })),
      muxWithAudio(spec({ videoPath: file('long.mp4'), durationMs: 1500, audioPath: file('three.m4a'), outPath: b })),
    ]);
    const result = await concatClips([a, b], file('joined.mp4'));
    expect(result.streamCopied).toBe(true);
    expect(Math.abs(result.durationMs - 2500)).toBeLessThanOrEqual(120);
  });

  it('fails with ffmpeg’s reason when the narration has no audio', async () => {
    await expect(muxWithAudio(spec({ audioPath: file('short.mp4'), outPath: file('none.mp4') }))).rejects.toThrow(/ffmpeg stderr/);
  });
});
