import { describe, expect, it } from 'vitest';
import { charsPerLine, layoutClip, normalise, wrapText } from '@/lib/media/text-layout';

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
