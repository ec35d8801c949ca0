import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeFilterValue } from './encoding';

export interface DrawtextLine {
  font: string;
  /** A file holding exactly the text to draw (see writeLineFiles). */
  file: string;
  size: number;
  color: string;
  /** Baseline in pixels from the top; may carry an expression suffix such as "+3*sin(t)". */
  baseline: number | string;
  /** Extra key=value options (shadow, box, enable), already escaped for the filter graph. */
  extra?: string[];
  /** Left edge in pixels; centred on the frame when absent. */
  x?: number;
}

/**
 * textfile + expansion=none: the text itself never passes through the filter-graph parser, so quotes, colons,
 * percent signs and backslashes are inert. y = baseline - ascent keeps every line on a common baseline grid,
 * because drawtext's ascent is measured on the glyphs actually drawn.
 */
export function drawtextFilter(line: DrawtextLine): string {
  return [
    `drawtext=fontfile=${escapeFilterValue(line.font)}`,
    `textfile=${escapeFilterValue(line.file)}`,
    'expansion=none',
    `fontsize=${line.size}`,
    `fontcolor=${line.color}`,
    ...(line.extra ?? []),
    line.x === undefined ? 'x=(w-text_w)/2' : `x=${Math.round(line.x)}`,
    `y=${line.baseline}-ascent`,
  ].join(':');
}

/** One file per line, because drawtext in ffmpeg 4.1 cannot centre individual lines of a multi-line text. */
export function writeLineFiles(dir: string, prefix: string, lines: string[]): Promise<string[]> {
  return Promise.all(lines.map(async (line, i) => {
    const file = path.join(dir, `${prefix}-${i}.txt`);
    await writeFile(file, line, 'utf8');
    return file;
  }));
}
