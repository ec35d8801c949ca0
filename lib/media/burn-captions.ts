import { fontPath } from './binaries';
import { drawtextFilter, writeLineFiles } from './drawtext';
import { charsPerLine, wrapText } from './text-layout';
import type { Cue } from './types';

const MAX_LINES = 2;
// Four decimals so the half-millisecond trim below survives formatting.
const num = (n: number) => Number(n.toFixed(4)).toString();

export interface CaptionLayout {
  size: number;
  maxChars: number;
  border: number;
  /** Baselines for a one-line and a two-line cue; the last line always sits at the same height. */
  baselines: (lineCount: number) => number[];
}

export function captionLayout(width: number, height: number): CaptionLayout {
  // Sized by the short side like the text card, so 9:16 captions are as legible as 16:9 ones.
  const base = Math.min(width, height);
  const size = Math.max(12, Math.round(base * 0.05));
  const border = Math.round(size * 0.3);
  const pitch = Math.round(size * 1.25) + 2 * border;
  const lastBaseline = height - Math.round(base * 0.08) - border - Math.round(size * 0.25);
  return {
    size,
    border,
    maxChars: charsPerLine(width * 0.88 - 2 * border, size),
    baselines: (n) => Array.from({ length: n }, (_, i) => lastBaseline - (n - 1 - i) * pitch),
  };
}

/**
 * drawtext filters that burn the cues in, one per line. drawtext rather than libass: layout reuses the tested
 * wrapText (two lines, ellipsis, emoji the font lacks dropped), the text goes through textfile= with expansion
 * off, and nothing depends on the static build's fontconfig, which has no config file to find fonts with.
 */
export async function captionFilters(cues: Cue[], width: number, height: number, durationMs: number, dir: string): Promise<string[]> {
  const layout = captionLayout(width, height);
  const font = fontPath(false);
  const filters: string[] = [];
  let index = 0;
  for (const cue of cues) {
    const start = Math.max(0, cue.startMs);
    const end = Math.min(durationMs, cue.endMs);
    const lines = wrapText(cue.text, layout.maxChars, MAX_LINES);
    if (!(end > start) || lines.length === 0) continue;
    const files = await writeLineFiles(dir, `cue-${index++}`, lines);
    const baselines = layout.baselines(lines.length);
    // between() is inclusive at both ends; ending half a millisecond early stops back-to-back cues from
    // sharing the boundary frame.
    const enable = `enable='between(t,${num(start / 1000)},${num((end - 0.5) / 1000)})'`;
    files.forEach((file, i) => {
      filters.push(drawtextFilter({
        font, file, size: layout.size, color: 'white', baseline: baselines[i],
        extra: [`box=1:boxcolor=black@0.6:boxborderw=${layout.border}`, 'shadowcolor=black@0.5:shadowx=1:shadowy=1', enable],
      }));
    });
  }
  return filters;
}
