import { copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe } from '../helpers/ffprobe';
import { renderStill } from '@/lib/media/still';
import { makeTmpDir, streamsOf, trickyBody, trickyTitle } from './fixtures';

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
