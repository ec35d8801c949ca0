import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fontPath } from './binaries';
import { drawtextFilter, writeLineFiles } from './drawtext';
import { AUDIO_RATE, FPS, audioOutputOptions, mp4OutputOptions, videoOutputOptions } from './encoding';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import { probe } from './probe';
import { layoutClip, type ClipLayout } from './text-layout';
import type { TextClipSpec } from './types';

// Dark backgrounds keep white text readable; accents are lighter partners for the moving bar.
const PALETTE: ReadonlyArray<{ bg: string; accent: string }> = [
  { bg: '0x1e293b', accent: '0x38bdf8' },
  { bg: '0x2d1b3d', accent: '0xc084fc' },
  { bg: '0x14342b', accent: '0x34d399' },
  { bg: '0x3b1d1d', accent: '0xf87171' },
  { bg: '0x1f2544', accent: '0x818cf8' },
  { bg: '0x33281a', accent: '0xfbbf24' },
  { bg: '0x123040', accent: '0x22d3ee' },
  { bg: '0x2b2b2b', accent: '0xf472b6' },
];

/** Consecutive seeds map to consecutive entries, so neighbouring scenes never share a colour. */
export function paletteFor(seed: number): { bg: string; accent: string } {
  const n = Number.isFinite(seed) ? Math.floor(seed) : 0;
  return PALETTE[((n % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

const num = (n: number) => Number(n.toFixed(3)).toString();

const CARD_SHADOW = 'shadowcolor=black@0.35:shadowx=2:shadowy=2';
const BODY_COLOR = '0xe5e7eb';

/**
 * A card's text as drawtext filters, shared by the clip and the still so a provider's image looks like
 * the text clips it replaces: the title in bold white, the body below it, each line read from a file
 * written into `dir`. `bodyDrift` is an ffmpeg expression added to the body's baselines (the clip's
 * slow sway; none for a still).
 */
export async function textCardFilters(dir: string, layout: ClipLayout, bodyDrift = ''): Promise<string[]> {
  const [titleFiles, bodyFiles] = await Promise.all([
    writeLineFiles(dir, 'title', layout.titleLines),
    writeLineFiles(dir, 'body', layout.bodyLines),
  ]);
  const bold = fontPath(true);
  const regular = fontPath(false);
  return [
    ...titleFiles.map((file, i) =>
      drawtextFilter({ font: bold, file, size: layout.titleSize, color: 'white', baseline: layout.titleBaselines[i], extra: [CARD_SHADOW] })),
    ...bodyFiles.map((file, i) =>
      drawtextFilter({ font: regular, file, size: layout.bodySize, color: BODY_COLOR, baseline: `${layout.bodyBaselines[i]}${bodyDrift}`, extra: [CARD_SHADOW] })),
  ];
}

function validate(spec: TextClipSpec): void {
  const evenPositive = (v: number) => Number.isInteger(v) && v > 0 && v % 2 === 0;
  if (!evenPositive(spec.width) || !evenPositive(spec.height)) {
    throw new Error(`Clip size must be positive even integers for yuv420p, got ${spec.width}x${spec.height}`);
  }
  if (!(spec.durationSec > 0) || !Number.isFinite(spec.durationSec)) {
    throw new Error(`Clip duration must be a positive number of seconds, got ${spec.durationSec}`);
  }
}

export async function renderTextClip(spec: TextClipSpec, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  validate(spec);
  if (opts.signal?.aborted) throw abortError();
  const { width, height, durationSec: d } = spec;
  const layout = layoutClip(spec.title, spec.body, width, height);
  const colours = paletteFor(spec.seed);
  const fade = Math.min(0.3, d / 3);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-clip-'));
  try {
    const texts = await textCardFilters(tmp, layout, `+${Math.max(2, Math.round(layout.bodySize * 0.12))}*sin(t*1.3)`);
    const videoChain = [
      ...texts,
      `fade=t=in:st=0:d=${num(fade)}`,
      `fade=t=out:st=${num(d - fade)}:d=${num(fade)}`,
      'format=yuv420p',
    ].join(',');
    const graph = [
      `[0:v][1:v]overlay=x=(W-w)/2+W*0.06*sin(t*0.8):y=${layout.bar.y}:shortest=1[bg]`,
      `[bg]${videoChain}[v]`,
      `[2:a]volume=0.05,afade=t=in:st=0:d=${num(fade)},afade=t=out:st=${num(d - fade)}:d=${num(fade)}[a]`,
    ].join(';');

    await mkdir(path.dirname(spec.outPath), { recursive: true });
    const cmd = createCommand()
      .input(`color=c=${colours.bg}:s=${width}x${height}:r=${FPS}:d=${num(d)}`).inputFormat('lavfi')
      .input(`color=c=${colours.accent}:s=${layout.bar.width}x${layout.bar.height}:r=${FPS}:d=${num(d)}`).inputFormat('lavfi')
      .input(`sine=frequency=220:sample_rate=${AUDIO_RATE}:duration=${num(d)}`).inputFormat('lavfi')
      .complexFilter(graph, ['v', 'a'])
      .outputOptions([...videoOutputOptions(), ...audioOutputOptions(), ...mp4OutputOptions(), '-t', num(d), '-shortest'])
      .output(spec.outPath);
    await runCommand(cmd, opts.signal, opts, 'render-clip');
    const { durationMs } = await probe(spec.outPath);
    return { durationMs };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
