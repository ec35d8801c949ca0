import { FPS } from './encoding';
import { abortError, createCommand, type MediaRunOptions } from './ffmpeg';
import { assertSceneSpec, encodeScene } from './scene-encode';
import type { Cue } from './types';

export interface MuxSpec {
  /** A motion clip from a remote provider: any size, frame rate, codec and length, with or without audio. */
  videoPath: string;
  /** Narration; it replaces the clip's own audio and sets the scene's length. */
  audioPath: string;
  durationMs: number;
  width: number;
  height: number;
  captions: Cue[] | null;
  outPath: string;
}

const num = (n: number) => Number(n.toFixed(3)).toString();

/**
 * Fits a provider's clip to the scene: cover-scaled and centre-cropped to width x height, resampled to constant
 * FPS, held on its last frame when the narration outlasts it or cut when it doesn't, narration as the only audio.
 */
export async function muxWithAudio(spec: MuxSpec, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  assertSceneSpec(spec);
  if (opts.signal?.aborted) throw abortError();
  const { width, height } = spec;
  const cmd = createCommand()
    // Reading a second past the narration is enough for fps to place the last needed frame; a long clip is
    // not decoded to the end only to be cut.
    .input(spec.videoPath).inputOptions(['-t', num(spec.durationMs / 1000 + 1)])
    .input(spec.audioPath);
  const videoChain = [
    'setpts=PTS-STARTPTS',
    // Anamorphic sources are squared first, so "cover" is judged on the picture as displayed.
    "scale='trunc(iw*sar/2)*2':ih",
    `scale=${width}:${height}:force_original_aspect_ratio=increase`,
    `crop=${width}:${height}`,
    'setsar=1',
    `fps=${FPS}`,
    // stop=-1 clones the last frame forever; encodeScene's trim decides where the scene ends.
    'tpad=stop_mode=clone:stop=-1',
  ];
  return encodeScene({ cmd, videoChain, ...spec }, opts);
}
