import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AUDIO_RATE, FPS, audioOutputOptions, concatListLine, mp4OutputOptions, videoOutputOptions } from './encoding';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import { musicGraph, type MusicMix } from './music';
import { probe, probeDetailed, type DetailedProbe, type DetailedStream } from './probe';

const num = (n: number) => Number(n.toFixed(3)).toString();

function streamOf(p: DetailedProbe, type: 'video' | 'audio'): DetailedStream | undefined {
  return p.streams.find((s) => s.type === type);
}

// Stream copy is only safe when every parameter a decoder initialises from the first segment matches in all others.
function videoKey(s: DetailedStream | undefined): string {
  return s ? [s.codec, s.width, s.height, s.pixFmt, s.frameRate, s.profile].join('|') : 'none';
}
function audioKey(s: DetailedStream | undefined): string {
  return s ? [s.codec, s.sampleRate, s.channels].join('|') : 'none';
}

export function canStreamCopy(probes: DetailedProbe[]): boolean {
  const first = probes[0];
  const v = streamOf(first, 'video');
  const a = streamOf(first, 'audio');
  if (v?.codec !== 'h264' || a?.codec !== 'aac') return false;
  return probes.every((p) => videoKey(streamOf(p, 'video')) === videoKey(v) && audioKey(streamOf(p, 'audio')) === audioKey(a));
}

function reencodeGraph(probes: DetailedProbe[], width: number, height: number, audioOut: string): string {
  const parts: string[] = [];
  const pairs: string[] = [];
  probes.forEach((p, i) => {
    parts.push(
      `[${i}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${FPS},format=yuv420p[v${i}]`,
    );
    // Silent clips get generated silence so concat always has an audio pad to join.
    parts.push(
      streamOf(p, 'audio')
        ? `[${i}:a]aformat=sample_rates=${AUDIO_RATE}:channel_layouts=stereo[a${i}]`
        : `anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=duration=${num(p.durationMs / 1000)}[a${i}]`,
    );
    pairs.push(`[v${i}][a${i}]`);
  });
  parts.push(`${pairs.join('')}concat=n=${probes.length}:v=1:a=1[v][${audioOut}]`);
  return parts.join(';');
}

export interface ConcatOptions extends MediaRunOptions {
  /** A music bed under the joined narration. Mixed in this same pass, so the audio is encoded once. */
  music?: MusicMix;
}

/**
 * Joins clips end to end. streamCopied reports whether the video was copied without re-encoding (clips made by
 * renderTextClip always qualify); otherwise everything is re-encoded to the first clip's frame size.
 */
export async function concatClips(
  clipPaths: string[],
  outPath: string,
  opts: ConcatOptions = {},
): Promise<{ durationMs: number; streamCopied: boolean }> {
  if (clipPaths.length === 0) throw new Error('concatClips needs at least one clip');
  if (opts.signal?.aborted) throw abortError();
  const probes = await Promise.all(clipPaths.map((p) => probeDetailed(p, opts.signal)));
  probes.forEach((p, i) => {
    if (!streamOf(p, 'video')) throw new Error(`Clip ${clipPaths[i]} has no video stream`);
  });
  const streamCopied = canStreamCopy(probes);
  const totalSec = probes.reduce((n, p) => n + p.durationMs, 0) / 1000;
  // The joined narration at [joined] becomes the output's audio at [a], with the bed under it if asked for.
  const audioOut = (joined: string) =>
    opts.music ? musicGraph({ ...opts.music, speechLabel: joined, outLabel: 'a', durationSec: totalSec }) : `[${joined}]anull[a]`;
  await mkdir(path.dirname(outPath), { recursive: true });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-concat-'));
  try {
    let cmd = createCommand();
    if (streamCopied) {
      const listFile = path.join(tmp, 'list.txt');
      // Without an explicit duration, ffmpeg 4.1 measures each file from its AAC priming packet (-21 ms),
      // so every boundary opens a one-frame gap and the video drifts 21 ms per clip.
      const lines = clipPaths.map((p, i) => `${concatListLine(path.resolve(p))}\nduration ${num(probes[i].durationMs / 1000)}`);
      await writeFile(listFile, `ffconcat version 1.0\n${lines.join('\n')}\n`, 'utf8');
      // -safe 0 because the list holds absolute paths; the list itself is ours, not user input.
      // Video is copied (the expensive part). Audio is re-encoded because copied AAC carries each clip's priming
      // and padding packets, which overlap at every join and push the audio ~27 ms/clip behind the picture;
      // aresample drops the few overlapping padding samples so the re-encoded audio stays on the video's clock.
      cmd = cmd.input(listFile).inputOptions(['-f', 'concat', '-safe', '0'])
        .complexFilter(`[0:a:0]aresample=async=1:min_hard_comp=0.001[joined];${audioOut('joined')}`)
        .outputOptions(['-map', '0:v:0', '-map', '[a]', '-c:v', 'copy'])
        .outputOptions([...audioOutputOptions(), ...mp4OutputOptions()]);
    } else {
      const first = streamOf(probes[0], 'video');
      for (const p of clipPaths) cmd = cmd.input(p);
      cmd = cmd.complexFilter(`${reencodeGraph(probes, first?.width ?? 1280, first?.height ?? 720, 'joined')};${audioOut('joined')}`, ['v', 'a'])
        .outputOptions([...videoOutputOptions(), ...audioOutputOptions(), ...mp4OutputOptions()]);
    }
    await runCommand(cmd.output(outPath), opts.signal, opts, 'compose');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const { durationMs } = await probe(outPath);
  return { durationMs, streamCopied };
}

export async function extractPoster(videoPath: string, outPath: string, atSec: number, opts: MediaRunOptions = {}): Promise<void> {
  if (opts.signal?.aborted) throw abortError();
  const { durationMs } = await probe(videoPath, opts.signal);
  // Seeking to (or past) the very end yields no frame at all, so stay a few frames inside the video.
  const last = Math.max(0, durationMs / 1000 - 0.1);
  const at = Number.isFinite(atSec) ? Math.min(Math.max(0, atSec), last) : 0;
  await mkdir(path.dirname(outPath), { recursive: true });
  const cmd = createCommand()
    .input(videoPath).inputOptions(['-ss', num(at)])
    // The raw mjpeg muxer writes to the path verbatim; image2 would treat a '%' in it as a sequence pattern.
    .outputOptions(['-frames:v', '1', '-q:v', '3', '-c:v', 'mjpeg', '-f', 'mjpeg'])
    .output(outPath);
  await runCommand(cmd, opts.signal, opts, 'poster');
  const info = await stat(outPath).catch(() => undefined);
  if (!info || info.size === 0) throw new Error(`ffmpeg produced no poster frame for ${videoPath} at ${num(at)}s`);
}
