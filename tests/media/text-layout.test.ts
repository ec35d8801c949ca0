import { describe, expect, it } from 'vitest';
import { captionLayout } from '@/lib/media/burn-captions';
import { aspectRatios, dimensionsFor, resolutions } from '@/lib/media/dimensions';
import { MIN_TEXT_SHARE, charsPerLine, layoutCard, layoutClip, normalise, textWidth, wrapText } from '@/lib/media/text-layout';

describe('wrapText', () => {
  it('wraps greedily on word boundaries', () => {
    expect(wrapText('the quick brown fox jumps over the lazy dog', 10, 10)).toEqual([
      'the quick', 'brown fox', 'jumps over', 'the lazy', 'dog',
    ]);
  });

  it('hard-splits a word longer than a line', () => {
    expect(wrapText('abcdefghijklmnop xy', 6, 10)).toEqual(['abcdef', 'ghijkl', 'mnop', 'xy']);
  });

  it('caps the line count and ends on a word boundary with an ellipsis', () => {
    expect(wrapText('one two three four five six seven eight nine ten', 10, 2)).toEqual(['one two', 'three…']);
    expect(wrapText('one two three four five six seven eight nine ten', 14, 2)).toEqual(['one two three', 'four five six…']);
  });

  it('counts emoji as one character and never splits a surrogate pair', () => {
    const lines = wrapText('😀😀😀😀😀😀😀', 3, 5);
    expect(lines).toEqual(['😀😀😀', '😀😀😀', '😀']);
  });

  it('returns no lines for blank text', () => {
    expect(wrapText('  \n\t ', 10, 3)).toEqual([]);
  });
});

describe('normalise', () => {
  it('removes control characters and emoji DejaVu cannot draw, keeping ones it can', () => {
    expect(normalise('a\u0000b\nc 🎉 d 😀 🇫🇷 e')).toBe('a b c d 😀 e');
    expect(normalise('مرحبا © ♥')).toBe('مرحبا © ♥');
  });
});

describe('layoutClip', () => {
  it('scales type with the short side so portrait and ultrawide match', () => {
    const portrait = layoutClip('t', 'b', 720, 1280);
    const ultrawide = layoutClip('t', 'b', 1680, 720);
    expect(portrait.titleSize).toBe(ultrawide.titleSize);
    expect(portrait.bodySize).toBe(ultrawide.bodySize);
    expect(charsPerLine(1680, 32)).toBeGreaterThan(charsPerLine(720, 32));
  });

  it('keeps every body line inside the frame, below the title', () => {
    const long = 'word '.repeat(500);
    for (const [w, h] of [[1280, 720], [720, 1280], [720, 720], [1680, 720]]) {
      const l = layoutClip(long, long, w, h);
      expect(l.titleLines.length).toBe(2);
      expect(l.bodyLines.at(-1)).toMatch(/…$/);
      expect(l.bodyBaselines[0]).toBeGreaterThan(l.bar.y + l.bar.height);
      expect(l.bodyBaselines.at(-1)!).toBeLessThan(h - l.bodySize * 0.3);
    }
  });
});

describe('layoutCard', () => {
  const texts = [
    ['How do bees make honey?', "Let's find out"],
    ['Learn to bake sourdough at home with a simple starter and patience', 'Step by step'],
    ['Misunderstandings', 'Über Größe: «ça marche», 100% "sûr"'],
    ['Pneumonoultramicroscopicsilicovolcanoconiosis explained', 'A'.repeat(200)],
    ['¿Cómo funcionan los volcanes?', ''],
    // The longest topic the API takes.
    [`${'The long and winding history of '.repeat(6)}everything`.slice(0, 200), 'A short guide'],
  ] as const;
  const frames = aspectRatios.flatMap((a) => resolutions.map((r) => ({ name: `${a} ${r}`, ...dimensionsFor(a, r) })));

  it.each(frames)('$name: every word at least 3.5 % of the frame height, inside the margins, above the captions', ({ width, height }) => {
    for (const kind of ['title', 'scene'] as const) {
      for (const [headline, small] of texts) {
        const l = layoutCard(kind, headline, small, width, height);
        // Where a two-line burned caption's box begins (lib/media/burn-captions.ts).
        const captions = captionLayout(width, height);
        const captionTop = captions.baselines(2)[0]! - captions.size - captions.border;
        expect(l.lines.some((line) => line.role === 'headline')).toBe(true);
        for (const line of l.lines) {
          const where = `${kind} ${width}x${height} "${line.text}"`;
          expect(line.size / height, where).toBeGreaterThanOrEqual(MIN_TEXT_SHARE);
          expect(line.x, where).toBeGreaterThanOrEqual(l.margin);
          expect(line.x + textWidth(line.text, line.size, line.bold), where).toBeLessThanOrEqual(width - l.margin + 1);
          // Ascenders stay on the frame and descenders clear the captions' band.
          expect(line.baseline - line.size, where).toBeGreaterThanOrEqual(0);
          expect(line.baseline + line.size * 0.25, where).toBeLessThanOrEqual(captionTop);
        }
        expect(l.bar.y + l.bar.height).toBeLessThanOrEqual(captionTop);
      }
    }
  });

  it('sets the headline large when it fits, and never splits a word that could fit smaller', () => {
    const short = layoutCard('scene', 'The basics', 'Topic', 1280, 720);
    expect(short.headlineSize).toBeGreaterThanOrEqual(0.1 * 720);
    const long = layoutCard('scene', 'Misunderstandings', 'Topic', 720, 1280);
    expect(long.lines.filter((l) => l.role === 'headline').map((l) => l.text)).toEqual(['Misunderstandings']);
  });
});
