import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captionFilters } from './burn-captions';
import { assertFrameSize } from './dimensions';
import { AUDIO_RATE, FPS, audioOutputOptions, mp4OutputOptions, videoOutputOptions } from './encoding';
import { abortError, runCommand, type FfmpegCommand, type MediaRunOptions } from './ffmpeg';
import { probe } from './probe';
import type { Cue } from './types';

export interface SceneEncodeJob {
  /** A command with the picture as input 0 and the narration as input 1, nothing else set. */
  cmd: FfmpegCommand;
  /** Filters from [0:v] to frames of exactly width x height at FPS, at least frameCount of them. */
  videoChain: string[];
  durationMs: number;
  width: number;
  height: number;
  captions: Cue[] | null;
  outPath: string;
}

export function assertSceneSpec(spec: { durationMs: number; width: number; height: number }): void {
  assertFrameSize(spec.width, spec.height);
  if (!Number.isFinite(spec.durationMs) || spec.durationMs < 100) {
    throw new Error(`Scene duration must be at least 100 ms, got ${spec.durationMs}`);
  }
}

/** The frame count whose length is nearest the narration, so video and audio end within half a frame. */
export function frameCount(durationMs: number): number {
  return Math.max(1, Math.round((durationMs * FPS) / 1000));
}

/**
 * Encodes a scene clip with exactly the settings renderTextClip uses, so compose can keep stream-copying.
 * The narration decides the length: the picture gets the frame count nearest durationMs, and the audio is
 * padded with silence or cut to exactly those frames. A clip whose audio ended inside its last frame would
 * be joined at the audio's end, under that frame, and the joined video's timestamps would overlap.
 */
export async function encodeScene(job: SceneEncodeJob, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  if (opts.signal?.aborted) throw abortError();
  const frames = frameCount(job.durationMs);
  const samples = Math.round((frames * AUDIO_RATE) / FPS);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-scene-'));
  try {
    const captions = job.captions ? await captionFilters(job.captions, job.width, job.height, job.durationMs, tmp) : [];
    const video = [...job.videoChain, `trim=end_frame=${frames}`, 'setpts=N/FRAME_RATE/TB', ...captions, 'format=yuv420p'];
    const audio = [
      // Narration may start late (mp3 encoder delay, edited files); the scene's audio starts at zero.
      'asetpts=PTS-STARTPTS',
      `aresample=${AUDIO_RATE}`,
      'aformat=sample_fmts=fltp:channel_layouts=stereo',
      'apad',
      `atrim=end_sample=${samples}`,
    ];
    const graph = `[0:v]${video.join(',')}[v];[1:a]${audio.join(',')}[a]`;
    await mkdir(path.dirname(job.outPath), { recursive: true });
    const cmd = job.cmd
      .complexFilter(graph, ['v', 'a'])
      .outputOptions([...videoOutputOptions(), ...audioOutputOptions(), ...mp4OutputOptions()])
      .output(job.outPath);
    await runCommand(cmd, opts.signal, opts, 'scene-encode');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const { durationMs } = await probe(job.outPath, opts.signal);
  return { durationMs };
}
