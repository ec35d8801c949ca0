import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommand, runCommand } from '@/lib/media/ffmpeg';
import { fitImage } from '@/lib/media/fit-image';
import { ffprobe } from '../../helpers/ffprobe';
import { makeTmpDir } from '../../media/fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
let bands: string;

// Red, green and blue thirds side by side, 300x100: a centre crop to a square keeps only the green one.
beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-fit-image-');
  bands = path.join(tmp.dir, 'bands.png');
  const graph = 'color=c=red:s=100x100[a];color=c=lime:s=100x100[b];color=c=blue:s=100x100[c];[a][b][c]hstack=inputs=3[out0]';
  await runCommand(createCommand().input(graph).inputOptions(['-f', 'lavfi'])
    .outputOptions(['-frames:v', '1', '-c:v', 'png', '-f', 'image2', '-update', '1']).output(bands));
});
afterAll(async () => {
  await tmp.cleanup();
});

async function pixels(file: string, width: number, height: number): Promise<Buffer> {
  const raw = path.join(tmp.dir, `${path.basename(file)}.rgb`);
  await runCommand(createCommand().input(file).outputOptions(['-f', 'rawvideo', '-pix_fmt', 'rgb24']).output(raw));
  const data = await readFile(raw);
  expect(data.length).toBe(width * height * 3);
  return data;
}

// The lavfi colours pass through YUV on the way in, so a channel lands a few steps off 0 or 255.
function colourAt(data: Buffer, width: number, x: number, y: number): 'red' | 'green' | 'blue' | 'mixed' {
  const [r, g, b] = data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3);
  const on = [r, g, b].map((v) => (v > 230 ? 1 : v < 25 ? 0 : NaN)).join('');
  return ({ '100': 'red', '010': 'green', '001': 'blue' } as const)[on] ?? 'mixed';
}

// Width and height straight from the IHDR chunk: exact, and independent of ffprobe's path handling.
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const head = await readFile(file);
  expect(head.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

describe('fitImage', () => {
  it('crops the centre when the frame is narrower than the image', async () => {
    const out = path.join(tmp.dir, 'square.png');
    await fitImage(bands, 50, 50, out);
    const data = await pixels(out, 50, 50);
    for (const [x, y] of [[3, 3], [46, 3], [25, 25], [3, 46], [46, 46]]) expect(colourAt(data, 50, x, y)).toBe('green');
  });

  it('scales up to cover a wider frame, cropping top and bottom, and writes exactly that size', async () => {
    const out = path.join(tmp.dir, 'wide.png');
    await fitImage(bands, 1280, 720, out);
    expect((await ffprobe(out)).streams).toEqual([{ type: 'video', codec: 'png', width: 1280, height: 720 }]);
    const data = await pixels(out, 1280, 720);
    // Width fills exactly, so all three bands survive in order.
    expect([10, 640, 1270].map((x) => colourAt(data, 1280, x, 360))).toEqual(['red', 'green', 'blue']);
  });

  it('hits odd target sizes exactly and takes a "%" in the output path literally', async () => {
    const out = path.join(tmp.dir, 'odd 100%d.png');
    await fitImage(bands, 333, 777, out);
    expect(await pngSize(out)).toEqual({ width: 333, height: 777 });
  });

  it('refuses sizes that are not positive whole pixels', async () => {
    await expect(fitImage(bands, 0, 720, path.join(tmp.dir, 'zero.png'))).rejects.toThrow(/positive whole-pixel/);
    await expect(fitImage(bands, 12.5, 720, path.join(tmp.dir, 'half.png'))).rejects.toThrow(/positive whole-pixel/);
  });

  it('rejects with AbortError without running ffmpeg when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fitImage(bands, 64, 64, path.join(tmp.dir, 'never.png'), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
