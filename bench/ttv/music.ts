// The bed the pipeline lays under a video by default, for the bare script.
// Filled in once the music bed lands in lib/media; until then the bare script has no music step.
export const benchMusic: ((videoPath: string, outPath: string, signal: AbortSignal) => Promise<void>) | null = null;
