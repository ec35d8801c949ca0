import { copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDetailed } from '@/lib/media/probe';
import { ffprobe } from '../helpers/ffprobe';
import { renderStill } from '@/lib/media/still';
import { toneAudio, toneChord } from '@/lib/media/tone';
import { makeTmpDir, streamsOf, trickyBody, trickyTitle } from './fixtures';
import { audioSamples, peak } from './frames';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
beforeAll(async () => {
  // '%d' in the directory: ffmpeg's image2 muxer would treat it as a sequence pattern. (ffprobe has the same
  // problem reading such a PNG back, which is why kenBurnsClip reads its image with -pattern_type none.)
  tmp = await makeTmpDir(`cueframe-still it's %d `);
});
afterAll(async () => {
  await tmp.cleanup();
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('renderStill', () => {
  it.each([[1280, 720], [720, 1280]])('writes an exact %dx%d PNG', async (width, height) => {
    const outPath = path.join(tmp.dir, `still ${width}x${height}.png`);
    await renderStill({ title: trickyTitle, body: trickyBody, width, height, seed: 5, outPath });
    const bytes = await readFile(outPath);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR is always the first chunk: width and height are big-endian at bytes 16 and 20.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([width, height]);
    const copy = path.join(tmp.dir, '..', `${path.basename(tmp.dir).replace(/%/g, '_')}-${width}.png`);
    await copyFile(outPath, copy);
    try {
      const probed = await ffprobe(copy);
      expect(streamsOf(probed, 'video')).toEqual([{ type: 'video', codec: 'png', width, height }]);
    } finally {
      await rm(copy, { force: true });
    }
  });

  it('is reproducible for a seed and changes colour with the seed', async () => {
    const render = async (seed: number, name: string) => {
      const outPath = path.join(tmp.dir, name);
      await renderStill({ title: 'Same', body: 'Same text', width: 320, height: 180, seed, outPath });
      return readFile(outPath);
    };
    const [a, b, c] = await Promise.all([render(1, 'a.png'), render(1, 'b.png'), render(2, 'c.png')]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('rejects odd sizes before starting ffmpeg', async () => {
    const spec = { title: 't', body: 'b', width: 641, height: 360, seed: 0, outPath: path.join(tmp.dir, 'odd.png') };
    await expect(renderStill(spec)).rejects.toThrow(/even/);
  });
});

describe('toneAudio', () => {
  it.each([2345, 5000])('writes exactly %d ms of quiet 48 kHz stereo AAC', async (durationMs) => {
    const outPath = path.join(tmp.dir, `tone ${durationMs}.m4a`);
    const result = await toneAudio({ durationMs, seed: 3, outPath });
    const probed = await probeDetailed(outPath);
    expect(result.durationMs).toBe(probed.durationMs);
    expect(Math.abs(probed.durationMs - durationMs)).toBeLessThanOrEqual(5);
    expect(probed.streams).toEqual([{ type: 'audio', codec: 'aac', sampleRate: 48000, channels: 2 }]);

    const samples = await audioSamples(outPath);
    // Audible, but well below a voice: a stand-in for narration must never be loud.
    expect(peak(samples)).toBeGreaterThan(0.05);
    expect(peak(samples)).toBeLessThan(0.25);
    // Faded in and out, so joins between scenes do not click.
    expect(peak(samples.subarray(0, 96))).toBeLessThan(0.01);
    expect(peak(samples.subarray(samples.length - 96))).toBeLessThan(0.01);
  });

  it('gives neighbouring seeds different chords', () => {
    for (let seed = -3; seed < 10; seed++) expect(toneChord(seed).root).not.toBe(toneChord(seed + 1).root);
    expect(toneChord(Number.NaN)).toEqual(toneChord(0));
  });
});
