// The one media operation Runway motion needs, typed here and injected, so this provider neither
// imports nor waits for lib/media: production passes muxWithAudio, tests a stand-in.
export interface MuxSpec {
  /** Runway's clip: its own size and a 5 or 10 s length. */
  videoPath: string;
  audioPath: string;
  /** The scene lasts exactly as long as its narration, whatever the clip's length. */
  durationMs: number;
  width: number;
  height: number;
  captions: { text: string; startMs: number; endMs: number }[] | null;
  outPath: string;
}

export type MuxFn = (spec: MuxSpec, opts?: { signal?: AbortSignal }) => Promise<{ durationMs: number }>;
