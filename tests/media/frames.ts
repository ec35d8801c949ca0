import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveFfmpegPath } from '@/lib/media/binaries';

const run = promisify(execFile);
const ffmpeg = (args: string[]) =>
  run(resolveFfmpegPath(), ['-v', 'error', ...args], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });

/** One decoded frame as packed RGB; -ss after -i so the seek is frame-exact rather than keyframe-aligned. */
export async function frameAt(videoPath: string, atSec: number): Promise<Buffer> {
  const { stdout } = await ffmpeg(['-i', videoPath, '-ss', atSec.toFixed(3), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  if (stdout.length === 0) throw new Error(`No frame at ${atSec}s in ${videoPath}`);
  return stdout;
}

/** An image file's pixels as packed RGB (-pattern_type none: the path is read literally, '%' and all). */
export async function rawRgb(imagePath: string): Promise<Buffer> {
  const { stdout } = await ffmpeg(['-pattern_type', 'none', '-i', imagePath, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return stdout;
}

/** Mean absolute difference per channel (0..255) over the rows [fromRow, toRow) of two equally sized frames. */
export function meanAbsDiff(a: Buffer, b: Buffer, width: number, fromRow = 0, toRow?: number): number {
  if (a.length !== b.length) throw new Error(`Frame sizes differ: ${a.length} vs ${b.length}`);
  const start = fromRow * width * 3;
  const end = (toRow ?? a.length / (width * 3)) * width * 3;
  let sum = 0;
  for (let i = start; i < end; i++) sum += Math.abs(a[i] - b[i]);
  return sum / (end - start);
}

/** MD5 over every decoded video frame: equal hashes mean pixel-identical pictures. */
export async function videoMd5(videoPath: string): Promise<string> {
  const { stdout } = await ffmpeg(['-i', videoPath, '-map', '0:v', '-f', 'md5', '-']);
  return stdout.toString().trim();
}

/** What ffmpeg reports while decoding every frame of a file ('' when it decodes cleanly). */
export async function decodeErrors(filePath: string): Promise<string> {
  const { stderr } = await ffmpeg(['-i', filePath, '-f', 'null', '-']);
  return stderr.toString().trim();
}

/** Decoded audio as interleaved stereo float samples. */
export async function audioSamples(filePath: string): Promise<Float32Array> {
  const { stdout } = await ffmpeg(['-i', filePath, '-map', '0:a', '-f', 'f32le', '-ac', '2', '-ar', '48000', '-']);
  // Copied out because a pooled Buffer's offset need not be 4-byte aligned, which Float32Array requires.
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
}

export function peak(samples: Float32Array): number {
  let max = 0;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  return max;
}

export async function makeTestClip(outPath: string, spec: { width: number; height: number; fps: number; seconds: number; withAudio: boolean }): Promise<void> {
  const { width, height, fps, seconds } = spec;
  const inputs = ['-f', 'lavfi', '-i', `testsrc=s=${width}x${height}:r=${fps}:d=${seconds}`];
  // A loud 1 kHz tone: if it ever leaks into a scene, the narration's quiet peak gives it away.
  if (spec.withAudio) inputs.push('-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=44100:duration=${seconds},volume=6`);
  await ffmpeg(['-y', ...inputs, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(spec.withAudio ? ['-c:a', 'aac'] : []), outPath]);
}
