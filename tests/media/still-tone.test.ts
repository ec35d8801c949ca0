import { copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe } from '../helpers/ffprobe';
import { palettes } from '@/lib/media/palette';
import { renderStill, type CardSpec } from '@/lib/media/still';
import { layoutCard } from '@/lib/media/text-layout';
import { makeTmpDir, streamsOf, trickyBody, trickyTitle } from './fixtures';
import { rawRgb } from './frames';

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
  const card = (over: Partial<CardSpec> = {}): CardSpec => ({
    kind: 'scene', headline: trickyTitle, small: trickyBody, width: 320, height: 180, palette: palettes[0]!, variant: 1,
    outPath: path.join(tmp.dir, 'card.png'), ...over,
  });

  it.each([[1280, 720, 'title'], [720, 1280, 'scene']] as const)('writes an exact %dx%d PNG (%s card)', async (width, height, kind) => {
    const outPath = path.join(tmp.dir, `still ${width}x${height}.png`);
    await renderStill(card({ kind, width, height, outPath }));
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

  it('is reproducible for a spec and changes colour with the palette', async () => {
    const render = async (palette: number, name: string) => {
      const outPath = path.join(tmp.dir, name);
      await renderStill(card({ headline: 'Same', small: 'Same text', palette: palettes[palette]!, outPath }));
      return readFile(outPath);
    };
    const [a, b, c] = await Promise.all([render(1, 'a.png'), render(1, 'b.png'), render(2, 'c.png')]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('draws its words where the layout puts them, in the ink colour, and nothing in the captions band', async () => {
    const [width, height] = [720, 1280];
    const spec = card({ headline: 'Über Größe: «ça marche» 100% "sûr"', small: '¿Cómo funcionan los volcanes?', width, height, outPath: path.join(tmp.dir, 'ink.png') });
    await renderStill(spec);
    const rgb = await rawRgb(spec.outPath);
    const layout = layoutCard('scene', spec.headline, spec.small, width, height);
    const inkRows = (from: number, to: number) => {
      let n = 0;
      for (let y = Math.max(0, Math.round(from)); y < Math.min(height, Math.round(to)); y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 3;
          if (rgb[i]! > 245 && rgb[i + 1]! > 245 && rgb[i + 2]! > 245) n++;
        }
      }
      return n;
    };
    const headline = layout.lines.filter((l) => l.role === 'headline');
    expect(headline.length).toBeGreaterThan(0);
    for (const line of headline) expect(inkRows(line.baseline - line.size * 0.7, line.baseline), line.text).toBeGreaterThan(line.size * 2);
    expect(inkRows(layout.safeBottom, height)).toBe(0);
  });

  it('rejects odd sizes before starting ffmpeg', async () => {
    await expect(renderStill(card({ width: 641, height: 360, outPath: path.join(tmp.dir, 'odd.png') }))).rejects.toThrow(/even/);
  });
});

