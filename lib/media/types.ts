// What the pipeline asks of the media layer. Everything ffmpeg-shaped stays inside lib/media.
export interface RunOptions {
  /** Aborting kills the ffmpeg process; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface TextClipSpec {
  /** Large heading, e.g. "Scene 2 of 4". */
  title: string;
  /** The scene's narration, wrapped to fit the frame. */
  body: string;
  durationSec: number;
  width: number;
  height: number;
  /** Varies the background colour from scene to scene. */
  seed: number;
  outPath: string;
}

export interface ProbeStream {
  type: 'video' | 'audio';
  codec: string;
  width?: number;
  height?: number;
}

export interface ProbeResult {
  durationMs: number;
  streams: ProbeStream[];
}

export interface Cue {
  startMs: number;
  endMs: number;
  text: string;
}
