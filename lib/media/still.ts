import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fontPath } from './binaries';
import { assertFrameSize } from './dimensions';
import { drawtextFilter, writeLineFiles } from './drawtext';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import type { CardPalette } from './palette';
import { layoutCard, type CardLayout } from './text-layout';

export interface CardSpec {
  /** 'title' opens the video with its topic; 'scene' is built around one scene's key phrase. */
  kind: 'title' | 'scene';
  /** The large words: the title, or the scene's key phrase. */
  headline: string;
  /** The smaller line: beneath the title on the opening card, the topic above the key phrase on the others. */
  small: string;
  width: number;
  height: number;
  /** The video's palette (lib/media/palette.ts): every card of a video shares it. */
  palette: CardPalette;
  /** Moves the decoration between a video's cards so consecutive cards differ; any integer. */
  variant: number;
  outPath: string;
}

const num = (n: number) => Number(n.toFixed(2)).toString();

const rgb = (c: string) => {
  const v = parseInt(c.slice(2), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255] as const;
};

// Where the soft glow and the ring sit, as fractions of the frame: always toward the right, away from the
// left-aligned text, and moved per card so consecutive cards differ.
const DECOR: ReadonlyArray<{ glow: [number, number]; ring: [number, number]; ringScale: number }> = [
  { glow: [0.92, 0.12], ring: [0.86, 0.7], ringScale: 0.26 },
  { glow: [0.95, 0.88], ring: [0.9, 0.2], ringScale: 0.2 },
  { glow: [0.7, 0.02], ring: [1.0, 0.55], ringScale: 0.32 },
  { glow: [1.0, 0.5], ring: [0.78, 0.9], ringScale: 0.18 },
];

/** The background is computed at 1/8 of the frame's size and scaled up: cheap, and the scaling softens it. */
export function backgroundSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(2, Math.round(width / 16) * 2), height: Math.max(2, Math.round(height / 16) * 2) };
}

/**
 * The whole background in one low-resolution pass: a diagonal gradient between the palette's two colours, with a
 * radial glow and a thin ring of the accent colour blended in, then scaled up to the frame.
 */
function backgroundFilter(spec: CardSpec): string {
  const { width: dw, height: dh } = backgroundSize(spec.width, spec.height);
  const d = DECOR[((spec.kind === 'title' ? 0 : 1 + (Math.floor(spec.variant) || 0) % 3) + DECOR.length) % DECOR.length]!;
  const long = Math.max(dw, dh);
  const light = spec.palette.shadow === null;
  const glow = `${light ? 0.22 : 0.34}*pow(max(0\\,1-hypot(X-${num(d.glow[0] * dw)}\\,Y-${num(d.glow[1] * dh)})/${num(long * 0.62)})\\,2)`;
  const ring = `${light ? 0.35 : 0.45}*max(0\\,1-abs(hypot(X-${num(d.ring[0] * dw)}\\,Y-${num(d.ring[1] * dh)})-${num(long * d.ringScale)})/${num(Math.max(1.2, long * 0.006))})`;
  const amount = `min(1\\,${glow}+${ring})`;
  const [from, to, accent] = [rgb(spec.palette.from), rgb(spec.palette.to), rgb(spec.palette.accent)];
  // Each channel: the gradient's value at this point (t runs 0..1 corner to corner), pulled toward the accent.
  const channel = (i: number) => {
    const base = `(${from[i]}+${to[i]! - from[i]!}*(X/W+Y/H)/2)`;
    return `'${base}+(${accent[i]}-${base})*${amount}'`;
  };
  return `format=rgb24,geq=r=${channel(0)}:g=${channel(1)}:b=${channel(2)},scale=${spec.width}:${spec.height}:flags=bilinear`;
}

async function textFilters(dir: string, layout: CardLayout, palette: CardPalette): Promise<string[]> {
  const files = await writeLineFiles(dir, 'line', layout.lines.map((l) => l.text));
  const shadow = (size: number) => palette.shadow
    ? [`shadowcolor=${palette.shadow}:shadowx=${Math.max(1, Math.round(size * 0.03))}:shadowy=${Math.max(1, Math.round(size * 0.04))}`]
    : [];
  return layout.lines.map((line, i) => drawtextFilter({
    font: fontPath(line.bold),
    file: files[i]!,
    size: line.size,
    color: line.role === 'headline' ? palette.ink : palette.muted,
    baseline: line.baseline,
    x: line.x,
    extra: shadow(line.size),
  }));
}

/**
 * The offline provider's picture for a scene: a designed card (gradient, glow and ring in the video's palette,
 * left-aligned type) rather than a photo. Drawn in RGB so text edges keep full colour resolution until the motion
 * step encodes them.
 */
export async function renderStill(spec: CardSpec, opts: MediaRunOptions = {}): Promise<void> {
  assertFrameSize(spec.width, spec.height);
  if (opts.signal?.aborted) throw abortError();
  const { width, height, palette } = spec;
  const layout = layoutCard(spec.kind, spec.headline, spec.small, width, height);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-still-'));
  try {
    const { bar } = layout;
    const graph = `[0:v]${[
      backgroundFilter(spec),
      `drawbox=x=${bar.x}:y=${bar.y}:w=${bar.width}:h=${bar.height}:color=${palette.accent}:t=fill`,
      ...(await textFilters(tmp, layout, palette)),
    ].join(',')}[v]`;
    await mkdir(path.dirname(spec.outPath), { recursive: true });
    const cmd = createCommand()
      .input(`color=c=black:s=${backgroundSize(width, height).width}x${backgroundSize(width, height).height}:d=1`).inputFormat('lavfi')
      .complexFilter(graph, ['v'])
      // image2pipe writes the path verbatim; image2 would read a '%d' in it as a sequence pattern.
      // Fast zlib and 'up' prediction: a gradient compresses slowly at the default level, and the file is transient.
      .outputOptions(['-frames:v', '1', '-c:v', 'png', '-compression_level', '1', '-pred', 'up', '-pix_fmt', 'rgb24', '-f', 'image2pipe'])
      .output(spec.outPath);
    await runCommand(cmd, opts.signal, opts, 'still');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
