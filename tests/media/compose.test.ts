import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatClips, extractPoster } from '@/lib/media/compose';
import { concatListLine } from '@/lib/media/encoding';
import { probe } from '@/lib/media/probe';
import { ffprobePath } from '../helpers/ffprobe';
import { renderTextClip } from '@/lib/media/render-clip';
import { makeTmpDir, streamsOf, trickyBody } from './fixtures';

// A quote and spaces in the directory name exercise the concat list escaping for real; '%d' would be
// taken as an image-sequence pattern by ffmpeg's default image2 muxer.
let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
const clips: string[] = [];
let square = '';

beforeAll(async () => {
  tmp = await makeTmpDir(`cueframe compose 'test' 100%d `);
  for (let i = 0; i < 3; i++) {
    const outPath = path.join(tmp.dir, `scene ${i}'s clip.mp4`);
    await renderTextClip({ title: `Scene ${i + 1} of 3`, body: trickyBody, durationSec: 2, width: 1280, height: 720, seed: i, outPath });
    clips.push(outPath);
  }
  square = path.join(tmp.dir, 'square.mp4');
  await renderTextClip({ title: 'Square', body: 'Different size', durationSec: 1, width: 720, height: 720, seed: 9, outPath: square });
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('concatClips', () => {
  it('stream-copies identically encoded clips into one H.264 + AAC file', async () => {
    const out = path.join(tmp.dir, 'final.mp4');
    const result = await concatClips(clips, out);
    expect(result.streamCopied).toBe(true);
    expect(Math.abs(result.durationMs - 6000)).toBeLessThanOrEqual(200);

    const probed = await probe(out);
    expect(Math.abs(probed.durationMs - 6000)).toBeLessThanOrEqual(200);
    expect(streamsOf(probed, 'video')).toEqual([{ type: 'video', codec: 'h264', width: 1280, height: 720 }]);
    expect(streamsOf(probed, 'audio')).toEqual([{ type: 'audio', codec: 'aac' }]);
  });

  it('joins without timestamp gaps and keeps audio level with the picture', async () => {
    const out = path.join(tmp.dir, 'timing.mp4');
    await concatClips(clips, out);
    const ffprobe = (args: string[]) => execFileSync(ffprobePath(), ['-v', 'error', ...args, out]).toString();
    const pts = ffprobe(['-select_streams', 'v', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0'])
      .trim().split('\n').map(Number).sort((a, b) => a - b);
    expect(pts).toHaveLength(180);
    const gaps = pts.slice(1).map((t, i) => t - pts[i]);
    // 30 fps means 33.3 ms between frames; a join that opens a gap shows up as ~55 ms.
    expect(Math.max(...gaps)).toBeLessThan(0.04);

    // Copied AAC keeps each clip's priming/padding packets, which overlap the next clip at every join.
    const audioPts = ffprobe(['-select_streams', 'a', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0'])
      .trim().split('\n').map(Number);
    const audioSteps = audioPts.slice(1).map((t, i) => t - audioPts[i]);
    expect(Math.min(...audioSteps)).toBeGreaterThan(1024 / 48000 - 0.001);

    const ends = JSON.parse(ffprobe(['-show_entries', 'stream=codec_type,start_time,duration', '-of', 'json'])) as {
      streams: { codec_type: string; start_time: string; duration: string }[];
    };
    const end = (type: string) => {
      const s = ends.streams.find((x) => x.codec_type === type)!;
      return Number(s.start_time) + Number(s.duration);
    };
    expect(Math.abs(end('audio') - end('video'))).toBeLessThan(0.04);
  });

  it('re-encodes to the first clip’s size when clips differ', async () => {
    const out = path.join(tmp.dir, 'mixed.mp4');
    const result = await concatClips([clips[0], square], out);
    expect(result.streamCopied).toBe(false);
    expect(Math.abs(result.durationMs - 3000)).toBeLessThanOrEqual(200);
    const probed = await probe(out);
    expect(streamsOf(probed, 'video')).toEqual([{ type: 'video', codec: 'h264', width: 1280, height: 720 }]);
    expect(streamsOf(probed, 'audio')).toEqual([{ type: 'audio', codec: 'aac' }]);
  });

  it('rejects an empty clip list', async () => {
    await expect(concatClips([], path.join(tmp.dir, 'none.mp4'))).rejects.toThrow(/at least one/);
  });
});

describe('concatListLine', () => {
  it('closes, escapes and reopens the quote around apostrophes', () => {
    expect(concatListLine(`/tmp/it's here.mp4`)).toBe(`file '/tmp/it'\\''s here.mp4'`);
  });
});

describe('extractPoster', () => {
  const isJpeg = async (p: string) => {
    const bytes = await readFile(p);
    return bytes.length > 1000 && bytes[0] === 0xff && bytes[1] === 0xd8;
  };

  it('writes a JPEG frame', async () => {
    const out = path.join(tmp.dir, 'poster.jpg');
    await extractPoster(clips[0], out, 1);
    expect(await isJpeg(out)).toBe(true);
  });

  it('clamps a time past the end instead of producing nothing', async () => {
    const out = path.join(tmp.dir, 'late poster %d.jpg');
    await extractPoster(clips[1], out, 999);
    expect(await isJpeg(out)).toBe(true);
  });
});
