import { execFileSync } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontPath, resolveFfmpegPath } from '@/lib/media/binaries';
import { dimensionsFor, type AspectRatio } from '@/lib/media/dimensions';
import { escapeFilterValue } from '@/lib/media/encoding';
import { probe } from '@/lib/media/probe';
import { paletteFor, renderTextClip } from '@/lib/media/render-clip';
import { makeTmpDir, streamsOf, trickyBody, trickyTitle } from './fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-render-test-');
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('renderTextClip', () => {
  const cases: AspectRatio[] = ['16:9', '9:16', '1:1'];

  it.each(cases)('renders an exact 2 s %s 720p clip with one h264 and one aac stream', async (aspect) => {
    const { width, height } = dimensionsFor(aspect, '720p');
    const outPath = path.join(tmp.dir, `clip-${aspect.replace(':', 'x')}.mp4`);
    const result = await renderTextClip({ title: trickyTitle, body: trickyBody, durationSec: 2, width, height, seed: 7, outPath });

    const probed = await probe(outPath);
    expect(Math.abs(probed.durationMs - 2000)).toBeLessThanOrEqual(100);
    expect(Math.abs(result.durationMs - 2000)).toBeLessThanOrEqual(100);
    const video = streamsOf(probed, 'video');
    const audio = streamsOf(probed, 'audio');
    expect(video).toEqual([{ type: 'video', codec: 'h264', width, height }]);
    expect(audio).toEqual([{ type: 'audio', codec: 'aac' }]);
  });

  it('draws %{...} sequences literally instead of expanding them', async () => {
    // drawtext silently draws nothing when expansion fails, so compare pixels against a clip with no body at all.
    const frameHash = async (body: string, name: string) => {
      const outPath = path.join(tmp.dir, name);
      await renderTextClip({ title: '', body, durationSec: 1, width: 320, height: 180, seed: 1, outPath });
      const args = ['-v', 'error', '-ss', '0.5', '-i', outPath, '-frames:v', '1', '-f', 'md5', '-'];
      return execFileSync(resolveFfmpegPath(), args).toString().trim();
    };
    const literal = await frameHash('%{no_such_fn}', 'literal.mp4');
    const empty = await frameHash('', 'empty.mp4');
    expect(literal).toMatch(/^MD5=/);
    expect(literal).not.toBe(empty);
  });

  it('rejects odd dimensions before starting ffmpeg', async () => {
    const spec = { title: 't', body: 'b', durationSec: 1, width: 641, height: 360, seed: 0, outPath: path.join(tmp.dir, 'odd.mp4') };
    await expect(renderTextClip(spec)).rejects.toThrow(/even/);
  });
});

describe('paletteFor', () => {
  it('is deterministic and gives neighbouring seeds different backgrounds', () => {
    expect(paletteFor(3)).toEqual(paletteFor(3));
    for (let seed = -5; seed < 20; seed++) expect(paletteFor(seed).bg).not.toBe(paletteFor(seed + 1).bg);
    expect(paletteFor(Number.NaN)).toEqual(paletteFor(0));
  });
});

describe('escapeFilterValue', () => {
  it('survives ffmpeg’s two-level filter parser for paths full of syntax characters', async () => {
    const dir = await makeTmpDir(`cueframe it's: [odd], dir; 100% `);
    try {
      const font = path.join(dir.dir, `font o'n:e.ttf`);
      const text = path.join(dir.dir, `text:it's,[1].txt`);
      await copyFile(fontPath(), font);
      await writeFile(text, 'ok');
      const graph =
        `color=c=black:s=64x64:d=0.1,drawtext=fontfile=${escapeFilterValue(font)}:` +
        `textfile=${escapeFilterValue(text)}:expansion=none:fontcolor=white[v]`;
      execFileSync(resolveFfmpegPath(), ['-v', 'error', '-filter_complex', graph, '-map', '[v]', '-frames:v', '1', '-f', 'null', '-']);
    } finally {
      await dir.cleanup();
    }
  });
});
