import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assertFrameSize } from './dimensions';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import { paletteFor, textCardFilters } from './render-clip';
import { layoutClip } from './text-layout';

export interface StillSpec {
  title: string;
  body: string;
  width: number;
  height: number;
  /** Picks the palette exactly as renderTextClip does, so scene n keeps its colour. */
  seed: number;
  outPath: string;
}

/**
 * The offline provider's "image": the first frame of a text clip, with the accent bar at rest in the centre.
 * Drawn in RGB rather than YUV so text edges keep full colour resolution until the motion step encodes them.
 */
export async function renderStill(spec: StillSpec, opts: MediaRunOptions = {}): Promise<void> {
  assertFrameSize(spec.width, spec.height);
  if (opts.signal?.aborted) throw abortError();
  const { width, height } = spec;
  const layout = layoutClip(spec.title, spec.body, width, height);
  const colours = paletteFor(spec.seed);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-still-'));
  try {
    const { bar } = layout;
    const filters = [
      'format=rgb24',
      `drawbox=x=${Math.round((width - bar.width) / 2)}:y=${bar.y}:w=${bar.width}:h=${bar.height}:color=${colours.accent}:t=fill`,
      ...(await textCardFilters(tmp, layout)),
    ];
    await mkdir(path.dirname(spec.outPath), { recursive: true });
    const cmd = createCommand()
      .input(`color=c=${colours.bg}:s=${width}x${height}:d=1`).inputFormat('lavfi')
      .complexFilter(`[0:v]${filters.join(',')}[v]`, ['v'])
      // image2pipe writes the path verbatim; image2 would read a '%d' in it as a sequence pattern.
      .outputOptions(['-frames:v', '1', '-c:v', 'png', '-pix_fmt', 'rgb24', '-f', 'image2pipe'])
      .output(spec.outPath);
    await runCommand(cmd, opts.signal, opts);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
