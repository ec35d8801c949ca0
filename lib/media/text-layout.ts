// drawtext in ffmpeg 4.1 cannot wrap or centre individual lines, so layout is done here: we wrap by an
// estimated glyph width and draw each line separately, centred on its own width.

/** Average advance of DejaVu Sans glyphs relative to the font size (bold runs a little wider). */
const CHAR_WIDTH = { regular: 0.56, bold: 0.64 } as const;
const ELLIPSIS = '…';

export function charsPerLine(usableWidth: number, fontSize: number, bold = false): number {
  return Math.max(8, Math.floor(usableWidth / (fontSize * (bold ? CHAR_WIDTH.bold : CHAR_WIDTH.regular))));
}

// Astral-plane pictographs DejaVu Sans does have (moon phases, a few animals, the classic emoticons, game tiles).
const COVERED_ASTRAL: ReadonlyArray<[number, number]> = [
  [0x1f030, 0x1f0df], [0x1f311, 0x1f318], [0x1f42d, 0x1f42e], [0x1f431, 0x1f431], [0x1f435, 0x1f435],
  [0x1f600, 0x1f623], [0x1f625, 0x1f62b], [0x1f62d, 0x1f640], [0x1f643, 0x1f643],
];
const PICTOGRAPH = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]/gu;

function dropUncoveredEmoji(text: string): string {
  return text.replace(PICTOGRAPH, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp < 0x10000 || COVERED_ASTRAL.some(([lo, hi]) => cp >= lo && cp <= hi) ? ch : '';
  });
}

// Control characters would either be drawn as boxes or (NUL) silently truncate the text file; colour emoji
// the font lacks would render as empty boxes, so they are dropped from the picture (captions keep them).
export function normalise(text: string): string {
  return dropUncoveredEmoji(text.replace(/[\u0000-\u001f\u007f]+/g, ' ')).replace(/\s+/g, ' ').trim();
}

// Prefer cutting at a word boundary so the ellipsis never lands mid-word unless the word fills the line.
function withEllipsis(line: string, maxChars: number): string {
  const tidy = (s: string) => s.replace(/[\s.,;:!?…-]+$/u, '');
  let chars = Array.from(tidy(line));
  if (chars.length + 1 > maxChars) {
    chars = chars.slice(0, maxChars - 1);
    const lastSpace = chars.lastIndexOf(' ');
    if (lastSpace > 0) chars = Array.from(tidy(chars.slice(0, lastSpace).join('')));
  }
  return chars.join('') + ELLIPSIS;
}

/**
 * Greedy word wrap counting code points (so emoji count once), hard-splitting words longer than a line.
 * Text that needs more than maxLines is cut and the last line ends with an ellipsis.
 */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) lines.push(current.join(''));
    current = [];
  };
  for (const word of normalise(text).split(' ').filter(Boolean)) {
    let chars = Array.from(word);
    const needed = current.length ? current.length + 1 + chars.length : chars.length;
    if (needed <= maxChars) {
      if (current.length) current.push(' ');
      current.push(...chars);
      continue;
    }
    flush();
    while (chars.length > maxChars) {
      lines.push(chars.slice(0, maxChars).join(''));
      chars = chars.slice(maxChars);
    }
    current = chars;
  }
  flush();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(kept[maxLines - 1], maxChars);
  return kept;
}

export interface ClipLayout {
  titleSize: number;
  bodySize: number;
  margin: number;
  titleLines: string[];
  bodyLines: string[];
  /** Baselines in pixels from the top of the frame. */
  titleBaselines: number[];
  bodyBaselines: number[];
  bar: { width: number; height: number; y: number };
}

export function layoutClip(title: string, body: string, width: number, height: number): ClipLayout {
  // Scaling by the short side keeps text legible on 9:16 and stops it ballooning on 21:9.
  const base = Math.min(width, height);
  const titleSize = Math.round(base * 0.075);
  const bodySize = Math.round(base * 0.045);
  const margin = Math.round(Math.max(width * 0.07, base * 0.06));
  const usable = width - 2 * margin;

  const titleLines = wrapText(title, charsPerLine(usable, titleSize, true), 2);
  const titleLineHeight = Math.round(titleSize * 1.2);
  const titleTop = Math.round(base * 0.09);
  const titleBaselines = titleLines.map((_, i) => titleTop + Math.round(titleSize * 0.9) + i * titleLineHeight);
  const titleBottom = titleTop + Math.max(1, titleLines.length) * titleLineHeight;

  const bar = { width: Math.round(width * 0.16), height: Math.max(4, Math.round(base * 0.008)), y: titleBottom + Math.round(base * 0.03) };

  const bodyLineHeight = Math.round(bodySize * 1.4);
  const areaTop = bar.y + bar.height + Math.round(base * 0.06);
  const areaHeight = height - Math.round(base * 0.08) - areaTop;
  const maxLines = Math.max(1, Math.min(12, Math.floor(areaHeight / bodyLineHeight)));
  const bodyLines = wrapText(body, charsPerLine(usable, bodySize), maxLines);
  const blockTop = areaTop + Math.max(0, Math.round((areaHeight - bodyLines.length * bodyLineHeight) / 2));
  const bodyBaselines = bodyLines.map((_, i) => blockTop + Math.round(bodySize * 1.05) + i * bodyLineHeight);

  return { titleSize, bodySize, margin, titleLines, bodyLines, titleBaselines, bodyBaselines, bar };
}
