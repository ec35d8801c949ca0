import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatClips } from '@/lib/media/compose';
import { kenBurnsClip, kenBurnsMotion, type KenBurnsSpec } from '@/lib/media/kenburns';
import { probe, probeDetailed } from '@/lib/media/probe';
import { renderTextClip } from '@/lib/media/render-clip';
import { palettes } from '@/lib/media/palette';
import { renderStill } from '@/lib/media/still';
import { toneAudio } from '../helpers/audio-fixtures';
import { makeTmpDir, trickyBody, trickyTitle } from './fixtures';
import { decodeErrors, frameAt, meanAbsDiff, videoMd5 } from './frames';

// '%d' and a quote in the directory: the still must be read literally, not as an image sequence.
let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
const file = (name: string) => path.join(tmp.dir, name);
const cue = { text: `Captions: "quoted", 100% C:\\odd; and long enough to wrap onto a second line here`, startMs: 1000, endMs: 1700 };
let wide: KenBurnsSpec;
const out: Record<'wide' | 'again' | 'captioned' | 'tall' | 'padded', string> = { wide: '', again: '', captioned: '', tall: '', padded: '' };
const results: Record<string, number> = {};

beforeAll(async () => {
  tmp = await makeTmpDir(`cueframe-kb it's %d `);
  await Promise.all([
    renderStill({ kind: 'scene', headline: trickyTitle, small: trickyBody, width: 1280, height: 720, palette: palettes[0]!, variant: 1, outPath: file('wide.png') }),
    renderStill({ kind: 'title', headline: 'Tall', small: trickyBody, width: 720, height: 1280, palette: palettes[1]!, variant: 0, outPath: file('tall.png') }),
    toneAudio({ durationMs: 2000, seed: 1, outPath: file('two.m4a') }),
    toneAudio({ durationMs: 1000, seed: 2, outPath: file('one.m4a') }),
  ]);
  wide = { imagePath: file('wide.png'), audioPath: file('two.m4a'), durationMs: 2000, width: 1280, height: 720, seed: 1, captions: null, outPath: '' };
  const jobs: [keyof typeof out, KenBurnsSpec][] = [
    ['wide', wide],
    ['again', wide],
    ['captioned', { ...wide, captions: [cue] }],
    ['tall', { ...wide, imagePath: file('tall.png'), width: 720, height: 1280, seed: 2 }],
    // Narration shorter than the scene: the clip still lasts durationMs, with silence at the end.
    ['padded', { ...wide, audioPath: file('one.m4a'), durationMs: 1500, seed: 2 }],
  ];
  // Two at a time: enough to use both cores without making each encode fight for them.
  for (let i = 0; i < jobs.length; i += 2) {
    await Promise.all(jobs.slice(i, i + 2).map(async ([name, spec]) => {
      out[name] = file(`${name}.mp4`);
      results[name] = (await kenBurnsClip({ ...spec, outPath: out[name] })).durationMs;
    }));
  }
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('kenBurnsClip', () => {
  it.each([['wide', 1280, 720, 2000], ['tall', 720, 1280, 2000], ['padded', 1280, 720, 1500]] as const)(
    '%s: exact size, narration length and the shared encoding', async (name, width, height, durationMs) => {
      const probed = await probeDetailed(out[name]);
      expect(Math.abs(probed.durationMs - durationMs)).toBeLessThanOrEqual(80);
      expect(results[name]).toBe(probed.durationMs);
      expect(probed.streams).toEqual([
        { type: 'video', codec: 'h264', width, height, pixFmt: 'yuv420p', frameRate: '30/1', profile: 'High' },
        { type: 'audio', codec: 'aac', sampleRate: 48000, channels: 2 },
      ]);
    });

  it('moves: the last frame differs clearly from the first', async () => {
    const [first, last] = await Promise.all([frameAt(out.wide, 0), frameAt(out.wide, 1.95)]);
    // A still encoded twice differs by well under 1 level; a 4 % zoom over text moves every edge.
    expect(meanAbsDiff(first, last, 1280)).toBeGreaterThan(4);
  });

  it('is deterministic for a seed and varies between seeds', async () => {
    expect(kenBurnsMotion(7, 5000)).toEqual(kenBurnsMotion(7, 5000));
    expect(kenBurnsMotion(7, 5000)).not.toEqual(kenBurnsMotion(8, 5000));
    // Consecutive scenes alternate between zooming in and out.
    expect(kenBurnsMotion(7, 5000).zoomTo > kenBurnsMotion(7, 5000).zoomFrom).not.toBe(kenBurnsMotion(8, 5000).zoomTo > kenBurnsMotion(8, 5000).zoomFrom);
    expect(await videoMd5(out.again)).toBe(await videoMd5(out.wide));
  });

  it('never zooms or pans far enough to cut into the text card’s 7 % margin', () => {
    for (let seed = -20; seed < 200; seed++) {
      for (const durationMs of [500, 2000, 8000, 60_000]) {
        const m = kenBurnsMotion(seed, durationMs);
        const zoom = Math.max(m.zoomFrom, m.zoomTo);
        expect(Math.min(m.zoomFrom, m.zoomTo)).toBe(1);
        expect(zoom).toBeGreaterThanOrEqual(1.04);
        expect(zoom).toBeLessThanOrEqual(1.1);
        const slack = 1 - 1 / zoom;
        for (const v of [m.from.x, m.from.y, m.to.x, m.to.y]) expect(Math.max(v, 1 - v) * slack).toBeLessThan(0.07);
      }
    }
  });

  it('burns a caption in only while its cue is showing', async () => {
    const bottom = [Math.round(720 * 0.7), 720] as const;
    const [inside, insidePlain, before, beforePlain] = await Promise.all([
      frameAt(out.captioned, 1.35), frameAt(out.wide, 1.35), frameAt(out.captioned, 0.5), frameAt(out.wide, 0.5),
    ]);
    const during = meanAbsDiff(inside, insidePlain, 1280, ...bottom);
    expect(during).toBeGreaterThan(10);
    // Well ahead of the cue (beyond x264's lookahead) the encoder sees identical pictures, so nothing differs;
    // after a cue, frames predicted from captioned ones would carry some encoder noise instead.
    expect(meanAbsDiff(before, beforePlain, 1280)).toBeLessThan(0.5);
    // The caption sits near the bottom: the top of the frame is untouched while it shows.
    expect(meanAbsDiff(inside, insidePlain, 1280, 0, 360)).toBeLessThan(during / 10);
  });

  it('keeps compose on the stream-copy path, next to a text clip', async () => {
    const text = file('text.mp4');
    await renderTextClip({ title: 'Text', body: 'clip', durationSec: 1, width: 1280, height: 720, seed: 3, outPath: text });
    const result = await concatClips([out.wide, out.padded, text], file('joined.mp4'));
    expect(result.streamCopied).toBe(true);
    expect(Math.abs(result.durationMs - 4500)).toBeLessThanOrEqual(150);
  });

  it('lasts whole frames when the narration ends mid-frame, so joined clips decode without overlapping', async () => {
    // Spoken narration is as long as it is: 2624 ms and 1465 ms end 9 and 18 ms into a frame.
    const [a, b] = [file('mid-a.mp4'), file('mid-b.mp4')];
    await Promise.all([
      toneAudio({ durationMs: 2624, seed: 3, outPath: file('mid-a.m4a') }),
      toneAudio({ durationMs: 1465, seed: 4, outPath: file('mid-b.m4a') }),
    ]);
    const [da, db] = await Promise.all([
      kenBurnsClip({ ...wide, audioPath: file('mid-a.m4a'), durationMs: 2624, outPath: a }),
      kenBurnsClip({ ...wide, audioPath: file('mid-b.m4a'), durationMs: 1465, seed: 4, outPath: b }),
    ]);
    // 79 and 44 frames: the audio is padded to the last frame's end rather than cut inside it.
    expect(da.durationMs).toBe(Math.round((79 * 1000) / 30));
    expect(db.durationMs).toBe(Math.round((44 * 1000) / 30));
    const joined = file('mid-joined.mp4');
    expect((await concatClips([a, b], joined)).streamCopied).toBe(true);
    expect(await decodeErrors(joined)).toBe('');
  });

  it('rejects a too-short scene and odd sizes before starting ffmpeg', async () => {
    await expect(kenBurnsClip({ ...wide, durationMs: 0, outPath: file('zero.mp4') })).rejects.toThrow(/at least/);
    await expect(kenBurnsClip({ ...wide, width: 1279, outPath: file('odd.mp4') })).rejects.toThrow(/even/);
  });
});

describe('aborting kenBurnsClip', () => {
  it('kills ffmpeg on the first progress report and rejects with AbortError at once', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const outPath = file('long.mp4');
    const err = await kenBurnsClip(
      { ...wide, durationMs: 20_000, width: 1920, height: 1080, outPath },
      {
        signal: controller.signal,
        // Abort on evidence of encoding rather than after a sleep.
        onProgress: () => {
          if (abortedAt) return;
          abortedAt = Date.now();
          controller.abort();
        },
      },
    ).then(() => undefined, (e: unknown) => e as Error);
    const rejectedAt = Date.now();
    expect(err?.name).toBe('AbortError');
    expect(abortedAt).toBeGreaterThan(0);
    // 600 frames of 1080p take ~8 s of CPU; a killed process is gone in milliseconds.
    expect(rejectedAt - abortedAt).toBeLessThan(2000);
    await expect(probe(outPath)).rejects.toThrow();
  });
});
