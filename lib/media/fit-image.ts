// Image models only offer a few fixed sizes; videos need their exact frame size. "Cover" keeps the picture
// undistorted and fills the frame, at the price of trimming the overhanging edges equally on both sides.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { abortError, createCommand, runCommand } from './ffmpeg';

function assertSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`fitImage needs a positive whole-pixel size, got ${width}x${height}`);
  }
}

/** Scales inPath to cover width x height, crops the centre and writes exactly that size as an RGB PNG. */
export async function fitImage(
  inPath: string,
  width: number,
  height: number,
  outPath: string,
  opts: { signal?: AbortSignal } = {},
): Promise<void> {
  assertSize(width, height);
  if (opts.signal?.aborted) throw abortError();
  await mkdir(path.dirname(outPath), { recursive: true });
  const filter = [
    // "increase" rounds each side up, so both are at least the target and the crop never comes up short.
    `scale=${width}:${height}:force_original_aspect_ratio=increase`,
    `crop=${width}:${height}`,
    'setsar=1',
    // No alpha: a transparent pixel would turn into an arbitrary colour once the frame is encoded to video.
    'format=rgb24',
  ].join(',');
  const cmd = createCommand()
    .input(inPath)
    .outputOptions(['-vf', filter, '-frames:v', '1', '-c:v', 'png'])
    // -update 1 makes the image2 muxer take the path literally; otherwise a '%' in it reads as a frame pattern.
    .outputOptions(['-f', 'image2', '-update', '1'])
    .output(outPath);
  await runCommand(cmd, opts.signal, {}, 'fit-image');
}
