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

// ---- Designed cards (the offline provider's pictures) ----

/**
 * Advance widths of DejaVu Sans by class of glyph, as fractions of the font size, rounded up a little so a line
 * measured to fit never runs past the margin. Good enough for left-aligned ragged lines; drawtext does the shaping.
 */
const ADVANCE = {
  regular: { narrow: 0.3, semi: 0.42, wide: 0.98, upper: 0.74, other: 0.63, space: 0.32 },
  bold: { narrow: 0.37, semi: 0.5, wide: 1.06, upper: 0.8, other: 0.71, space: 0.35 },
} as const;

export function textWidth(text: string, size: number, bold = false): number {
  const a = bold ? ADVANCE.bold : ADVANCE.regular;
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += a.space;
    else if (/[ijl.,:;'’!|]/.test(ch)) em += a.narrow;
    else if (/[frtI()[\]\-"“”‘]/.test(ch)) em += a.semi;
    else if (/[mwMW@%—…]/.test(ch)) em += a.wide;
    else if (/\p{Lu}/u.test(ch)) em += a.upper;
    else em += a.other;
  }
  return em * size;
}

/**
 * Greedy wrap by measured width. Returns null when a word does not fit on a line or the text needs more than
 * maxLines, so a caller can try a smaller size; `force` wraps anyway, splitting long words and ending the last
 * line with an ellipsis.
 */
export function wrapToWidth(text: string, maxWidth: number, size: number, bold: boolean, maxLines: number, force = false): string[] | null {
  const fits = (s: string) => textWidth(s, size, bold) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  for (const word of normalise(text).split(' ').filter(Boolean)) {
    const joined = current ? `${current} ${word}` : word;
    if (fits(joined)) { current = joined; continue; }
    if (current) lines.push(current);
    current = word;
    if (!fits(word)) {
      if (!force) return null;
      let chars = Array.from(word);
      while (chars.length > 1 && !fits(chars.join(''))) {
        let n = chars.length - 1;
        while (n > 1 && !fits(chars.slice(0, n).join(''))) n--;
        lines.push(chars.slice(0, n).join(''));
        chars = chars.slice(n);
      }
      current = chars.join('');
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  if (!force) return null;
  const kept = lines.slice(0, maxLines);
  const tidy = (line: string) => line.replace(/[\s.,;:!?…-]+$/u, '');
  let last = tidy(kept[maxLines - 1]!);
  // Whole words off the end first; a line that is one long word loses characters instead.
  while (last.includes(' ') && !fits(`${last}${ELLIPSIS}`)) last = tidy(last.slice(0, last.lastIndexOf(' ')));
  while (Array.from(last).length > 1 && !fits(`${last}${ELLIPSIS}`)) last = tidy(Array.from(last).slice(0, -1).join(''));
  kept[maxLines - 1] = `${last}${ELLIPSIS}`;
  return kept;
}

export interface CardText {
  text: string;
  size: number;
  bold: boolean;
  x: number;
  /** Pixels from the top of the frame. */
  baseline: number;
  role: 'headline' | 'small';
}

export interface CardLayout {
  lines: CardText[];
  margin: number;
  /** The accent bar: above the title on the opening card, beside the key phrase on the others. */
  bar: { x: number; y: number; width: number; height: number };
  headlineSize: number;
  smallSize: number;
  /** Nothing is drawn below this line: the captions' band. */
  safeBottom: number;
}

/** The smallest text a card draws, as a share of the frame's height: legible on a phone in 9:16. */
export const MIN_TEXT_SHARE = 0.035;

/**
 * A card's type, left-aligned on a margin, above the band captions use. The opening card ('title') stacks an accent
 * bar, the title and a smaller line beneath; a scene card puts the small line (the topic) at the top and the key
 * phrase large beside a vertical accent bar. The headline takes the largest size (down to the small text's size)
 * at which no word has to be split and it fits its lines.
 */
export function layoutCard(kind: 'title' | 'scene', headline: string, small: string, width: number, height: number): CardLayout {
  const base = Math.min(width, height);
  const margin = Math.round(Math.max(width * 0.08, height * 0.045));
  const smallSize = Math.max(Math.ceil(height * MIN_TEXT_SHARE), Math.round(base * 0.042));
  const safeTop = Math.round(height * 0.07);
  // Captions sit in the bottom ~26 % of the short side (lib/media/burn-captions.ts); keep the card's words clear.
  const safeBottom = height - Math.round(base * 0.28);
  const portrait = height > width;
  const barThickness = Math.max(6, Math.round(base * 0.012));

  // Bounded by the width too, so a portrait frame's narrow lines still hold a few words each.
  const maxSize = Math.round(Math.min(height * (kind === 'title' ? 0.13 : 0.12), width * (portrait ? 0.11 : kind === 'title' ? 0.1 : 0.095)));
  // A cap on lines so a long title shrinks rather than filling the frame; the room left decides below.
  const maxLines = kind === 'title' ? (portrait ? 8 : 5) : (portrait ? 4 : 3);
  const textX = kind === 'title' ? margin : margin + barThickness + Math.round(base * 0.035);
  const usable = width - margin - textX;
  const smallLines = small ? wrapToWidth(small, width - 2 * margin, smallSize, false, kind === 'title' || portrait ? 2 : 1, true)! : [];

  const smallPitch = Math.round(smallSize * 1.35);
  const pitchOf = (size: number) => Math.round(size * 1.16);
  // The height the headline's lines may take: what is left between the top and the captions' band once the
  // bar, the small lines and the gaps between them have their room.
  const linesThatFit = (size: number, cap = maxLines) => {
    const room = kind === 'title'
      ? safeBottom - safeTop - barThickness - Math.round(size * 0.55) - (smallLines.length ? Math.round(smallSize * 1.1) + smallLines.length * smallPitch : 0)
      : safeBottom - safeTop - smallLines.length * smallPitch - Math.round(smallSize * 1.2);
    return Math.max(1, Math.min(cap, Math.floor((room - Math.round(size * 0.3)) / pitchOf(size))));
  };
  let size = Math.max(maxSize, smallSize);
  let lines: string[] | null = null;
  for (; size > smallSize; size = Math.max(smallSize, Math.floor(size * 0.92))) {
    lines = wrapToWidth(headline, usable, size, true, linesThatFit(size));
    if (lines) break;
  }
  // At the smallest size a long headline may use all the room there is before it is cut short.
  if (!lines) lines = wrapToWidth(headline, usable, size, true, linesThatFit(size, Infinity), true)!;
  const headlineSize = size;
  const pitch = pitchOf(headlineSize);
  const out: CardText[] = [];

  if (kind === 'title') {
    const gapBar = Math.round(headlineSize * 0.55);
    const gapSmall = Math.round(smallSize * 1.1);
    const blockHeight = barThickness + gapBar + lines.length * pitch + (smallLines.length ? gapSmall + smallLines.length * smallPitch : 0);
    // Optically centred: a little above the middle of the space above the captions.
    const top = safeTop + Math.max(0, Math.round((safeBottom - safeTop - blockHeight) * 0.45));
    const bar = { x: margin, y: top, width: Math.round(Math.min(width, height) * 0.12), height: barThickness };
    const first = top + barThickness + gapBar + Math.round(headlineSize * 0.92);
    lines.forEach((text, i) => out.push({ text, size: headlineSize, bold: true, x: textX, baseline: first + i * pitch, role: 'headline' }));
    const lastHeadline = first + (lines.length - 1) * pitch;
    smallLines.forEach((text, i) => out.push({
      text, size: smallSize, bold: false, x: textX, baseline: lastHeadline + gapSmall + smallSize + i * smallPitch, role: 'small',
    }));
    return { lines: out, margin, bar, headlineSize, smallSize, safeBottom };
  }

  for (const [i, text] of smallLines.entries()) {
    out.push({ text, size: smallSize, bold: false, x: margin, baseline: safeTop + Math.round(smallSize * 0.9) + i * smallPitch, role: 'small' });
  }
  const areaTop = safeTop + smallLines.length * smallPitch + Math.round(smallSize * 1.2);
  const blockHeight = lines.length * pitch;
  const top = areaTop + Math.max(0, Math.round((safeBottom - areaTop - blockHeight) * 0.45));
  lines.forEach((text, i) => {
    out.push({ text, size: headlineSize, bold: true, x: textX, baseline: top + Math.round(headlineSize * 0.92) + i * pitch, role: 'headline' });
  });
  const bar = { x: margin, y: top + Math.round(headlineSize * 0.08), width: barThickness, height: blockHeight - Math.round(pitch - headlineSize) };
  return { lines: out, margin, bar, headlineSize, smallSize, safeBottom };
}
