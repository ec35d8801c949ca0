// Output frame sizes: the short side is the resolution's height, the long side follows the
// aspect ratio, rounded to an even number because H.264 with yuv420p needs even dimensions.
export const aspectRatios = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'] as const;
export const resolutions = ['720p', '1080p'] as const;

export type AspectRatio = (typeof aspectRatios)[number];
export type Resolution = (typeof resolutions)[number];

export interface Dimensions {
  width: number;
  height: number;
}

const shortSide: Record<Resolution, number> = { '720p': 720, '1080p': 1080 };

function even(n: number): number {
  return Math.round(n / 2) * 2;
}

export function dimensionsFor(aspect: AspectRatio, resolution: Resolution): Dimensions {
  const [w, h] = aspect.split(':').map(Number) as [number, number];
  const side = shortSide[resolution];
  return w >= h ? { width: even((side * w) / h), height: side } : { width: side, height: even((side * h) / w) };
}

export function assertFrameSize(width: number, height: number): void {
  // Even because every frame ends up in a yuv420p clip; the cap keeps a typo from allocating gigabytes.
  const ok = (v: number) => Number.isInteger(v) && v > 0 && v % 2 === 0 && v <= 8192;
  if (!ok(width) || !ok(height)) {
    throw new Error(`Frame size must be positive even integers up to 8192 (yuv420p), got ${width}x${height}`);
  }
}
