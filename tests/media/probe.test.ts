// The app reads MP4 headers with mp4box.js instead of running ffprobe. These files cover what the pipeline
// writes (B-frames, AAC priming in an edit list, moov before or after mdat, audio-only M4A, silent video) and
// the reading must agree with ffprobe's on each.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '@/lib/media/binaries';
import { probe, probeDetailed } from '@/lib/media/probe';
import { ffprobePath } from '../helpers/ffprobe';
import { makeTmpDir } from './fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-probe-');
});
afterAll(async () => {
  await tmp.cleanup();
});

function ffmpeg(args: string[], out: string): string {
  const file = path.join(tmp.dir, out);
  execFileSync(resolveFfmpegPath(), ['-v', 'error', '-y', ...args, file]);
  return file;
}

interface Reference {
  durationMs: number;
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string; r_frame_rate: string; sample_rate?: string; channels?: number }[];
}

function reference(file: string): Reference {
  const out = execFileSync(ffprobePath(), ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]).toString();
  const raw = JSON.parse(out) as { format: { duration: string }; streams: Reference['streams'] };
  return { durationMs: Math.round(Number(raw.format.duration) * 1000), streams: raw.streams };
}

const video = ['-f', 'lavfi', '-i', 'testsrc=s=640x360:r=30'];
const tone = ['-f', 'lavfi', '-i', 'sine=f=440:r=44100'];

const cases: [string, () => string][] = [
  ['H.264 + AAC, moov at the end', () => ffmpeg([...video, ...tone, '-t', '2.37', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'], 'a.mp4')],
  ['H.264 + AAC with faststart and 25 fps', () => ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=1280x720:r=25', ...tone, '-t', '3.01', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ar', '48000', '-movflags', '+faststart'], 'b.mp4')],
  ['H.264 without B-frames, silent', () => ffmpeg([...video, '-t', '1.5', '-c:v', 'libx264', '-bf', '0', '-pix_fmt', 'yuv420p'], 'c.mp4')],
  ['AAC in M4A', () => ffmpeg([...tone, '-t', '1.234', '-c:a', 'aac'], 'd.m4a')],
  ['audio longer than video', () => ffmpeg([...video, ...tone, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t:v', '1', '-t', '2.2', '-shortest', '-map', '0:v', '-map', '1:a'], 'e.mp4')],
];

describe('probe (mp4box) agrees with ffprobe', () => {
  it.each(cases)('%s', async (_name, make) => {
    const file = make();
    const ref = reference(file);
    const mine = await probeDetailed(file);
    expect(Math.abs(mine.durationMs - ref.durationMs)).toBeLessThanOrEqual(1);
    expect(mine.streams).toHaveLength(ref.streams.length);
    mine.streams.forEach((s, i) => {
      const r = ref.streams[i];
      expect(s.type).toBe(r.codec_type);
      expect(s.codec).toBe(r.codec_name);
      if (s.type === 'video') {
        expect([s.width, s.height, s.pixFmt, s.frameRate]).toEqual([r.width, r.height, r.pix_fmt, r.r_frame_rate]);
      } else {
        expect([s.sampleRate, s.channels]).toEqual([Number(r.sample_rate), r.channels]);
      }
    });
  });

  it('rejects a file that is not MP4, and a missing file', async () => {
    const text = path.join(tmp.dir, 'not.mp4');
    await writeFile(text, 'hello, this is not a video at all'.repeat(100));
    await expect(probe(text)).rejects.toThrow(/not a readable MP4/);
    await expect(probe(path.join(tmp.dir, 'missing.mp4'))).rejects.toThrow();
  });

  it('honours an aborted signal', async () => {
    const file = cases[0][1]();
    await expect(probe(file, AbortSignal.abort())).rejects.toThrow();
  });
});
