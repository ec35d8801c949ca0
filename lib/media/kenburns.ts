import { FPS } from './encoding';
import { abortError, createCommand, type MediaRunOptions } from './ffmpeg';
import { assertSceneSpec, encodeScene, frameCount } from './scene-encode';
import type { Cue } from './types';

export interface KenBurnsSpec {
  imagePath: string;
  /** Narration; the clip is exactly durationMs long whatever this file's own length is. */
  audioPath: string;
  durationMs: number;
  width: number;
  height: number;
  /** Picks zoom direction, amount and pan path, so neighbouring scenes move differently. */
  seed: number;
  captions: Cue[] | null;
  outPath: string;
}

/** Focus points are fractions of the slack left by the zoom: 0 = left/top edge, 1 = right/bottom edge. */
export interface KenBurnsMotion {
  zoomFrom: number;
  zoomTo: number;
  from: { x: number; y: number };
  to: { x: number; y: number };
}

// mulberry32: tiny, fast and the same on every platform, so a seed always means the same motion.
function random(seed: number): () => number {
  let a = (Number.isFinite(seed) ? Math.floor(seed) : 0) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (n: number) => Number(n.toFixed(4));

export function kenBurnsMotion(seed: number, durationMs: number): KenBurnsMotion {
  const rnd = random(seed);
  // About 1.2 % zoom per second keeps long scenes slow and short ones visibly alive. The text card keeps its
  // text inside a 7 % margin; at 10 % zoom and a focus within 0.3..0.7 at most 6.4 % is cropped from a side.
  const amount = Math.min(0.1, Math.max(0.04, 0.012 * (durationMs / 1000) * (0.8 + 0.4 * rnd())));
  // Alternating by seed means consecutive scenes never both zoom the same way.
  const zoomIn = (((Math.floor(seed) || 0) % 2) + 2) % 2 === 0;
  // A central focus also keeps the middle of the picture, where providers put the subject, in view.
  const point = () => ({ x: round(0.3 + 0.4 * rnd()), y: round(0.3 + 0.4 * rnd()) });
  const from = point();
  const to = point();
  const far = round(1 + amount);
  return zoomIn ? { zoomFrom: 1, zoomTo: far, from, to } : { zoomFrom: far, zoomTo: 1, from, to };
}

// zoompan crops at whole input pixels, so a slow zoom on a frame-sized image steps visibly. Oversampling the
// still first makes each step a fraction of an output pixel: ~3840 px on the long side measured 0.3 px rms
// of frame-to-frame wobble at 720p (0.9 px without oversampling), and costs one upscale per clip.
export function oversample(width: number, height: number): number {
  return Math.min(4, Math.max(2, Math.round(3840 / Math.max(width, height))));
}

export function zoompanFilter(motion: KenBurnsMotion, frames: number, width: number, height: number): string {
  // Linear in time: a constant speed steps evenly, whereas easing spends seconds below the pixel grid.
  const p = `(on/${Math.max(1, frames - 1)})`;
  const lerp = (a: number, b: number) => {
    const delta = round(b - a);
    return `(${a}${delta < 0 ? '-' : '+'}${Math.abs(delta)}*${p})`;
  };
  return [
    `zoompan=z='${lerp(motion.zoomFrom, motion.zoomTo)}'`,
    `x='${lerp(motion.from.x, motion.to.x)}*(iw-iw/zoom)'`,
    `y='${lerp(motion.from.y, motion.to.y)}*(ih-ih/zoom)'`,
    `d=${frames}`,
    `s=${width}x${height}`,
    `fps=${FPS}`,
  ].join(':');
}

/** The still with a slow, seeded zoom and pan, the narration as its soundtrack, optional burned-in captions. */
export async function kenBurnsClip(spec: KenBurnsSpec, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  assertSceneSpec(spec);
  if (opts.signal?.aborted) throw abortError();
  const { width, height } = spec;
  const frames = frameCount(spec.durationMs);
  const f = oversample(width, height);
  const [bigW, bigH] = [width * f, height * f];
  const cmd = createCommand()
    // pattern_type none: image2 would otherwise read a '%d' in the path as an image-sequence pattern.
    .input(spec.imagePath).inputOptions(['-f', 'image2', '-pattern_type', 'none'])
    .input(spec.audioPath);
  const videoChain = [
    // Covers the frame even when a provider's image has a different aspect ratio; RGB so zoompan's crop is not
    // rounded to the even pixels 4:2:0 chroma would force.
    `scale=${bigW}:${bigH}:force_original_aspect_ratio=increase`,
    `crop=${bigW}:${bigH}`,
    'setsar=1',
    'format=rgb24',
    zoompanFilter(kenBurnsMotion(spec.seed, spec.durationMs), frames, width, height),
  ];
  return encodeScene({ cmd, videoChain, ...spec }, opts);
}
