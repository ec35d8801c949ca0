// The media layer's public surface. Import from '@/lib/media' so fluent-ffmpeg never leaks past this folder.
export { resolveFfmpegPath, fontPath, type ResolveDeps } from './binaries';
export { renderTextClip } from './render-clip';
export { concatClips, extractPoster } from './compose';
export { probe } from './probe';
export { buildWebVtt, cuesFromDurations, formatTimestamp } from './captions';
export { dimensionsFor, aspectRatios, resolutions, type AspectRatio, type Resolution, type Dimensions } from './dimensions';
export type { MediaRunOptions, FfmpegProgress } from './ffmpeg';
export type { TextClipSpec, ProbeResult, ProbeStream, Cue, RunOptions } from './types';
export { renderStill, type CardSpec } from './still';
export { paletteForKey, palettes, type CardPalette } from './palette';
export { kenBurnsClip, kenBurnsMotion, type KenBurnsSpec, type KenBurnsMotion } from './kenburns';
export { muxWithAudio, type MuxSpec } from './mux';
export { mixMusicBed, musicMixFor, renderMusicBed, type MusicMix, type AudibleBed } from './music';
export { musicBeds, type MusicBed } from './music-beds';
