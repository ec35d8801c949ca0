import { describe, expect, it } from 'vitest';
import { buildWebVtt, cuesFromDurations, formatTimestamp } from '@/lib/media/captions';

describe('buildWebVtt', () => {
  it('produces the exact WebVTT document', () => {
    const vtt = buildWebVtt([
      { startMs: 0, endMs: 2500, text: 'Hello there.' },
      { startMs: 2500, endMs: 61_005, text: 'Second cue' },
    ]);
    expect(vtt).toBe(
      'WEBVTT\n\n' +
        '00:00:00.000 --> 00:00:02.500\nHello there.\n\n' +
        '00:00:02.500 --> 00:01:01.005\nSecond cue\n',
    );
  });

  it('escapes &, < and > (including a literal arrow)', () => {
    const vtt = buildWebVtt([{ startMs: 0, endMs: 1000, text: 'Tom & Jerry <b>bold</b> --> next' }]);
    expect(vtt).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nTom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; --&gt; next\n');
  });

  it('splits long text into lines of at most 42 characters', () => {
    const text = 'This narration is deliberately long so that it has to be split across several caption lines.';
    const lines = buildWebVtt([{ startMs: 0, endMs: 1000, text }]).split('\n').slice(3, -1);
    expect(lines).toEqual([
      'This narration is deliberately long so',
      'that it has to be split across several',
      'caption lines.',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(42);
  });

  it('leaves out cues with no text', () => {
    expect(buildWebVtt([{ startMs: 0, endMs: 1000, text: '   ' }])).toBe('WEBVTT\n');
  });
});

describe('formatTimestamp', () => {
  it('formats hours, minutes, seconds and milliseconds past the hour mark', () => {
    expect(formatTimestamp(0)).toBe('00:00:00.000');
    expect(formatTimestamp(59_999)).toBe('00:00:59.999');
    expect(formatTimestamp(3_600_000)).toBe('01:00:00.000');
    expect(formatTimestamp(3_723_456)).toBe('01:02:03.456');
    expect(formatTimestamp(36_000_000 + 61_001)).toBe('10:01:01.001');
    expect(formatTimestamp(-5)).toBe('00:00:00.000');
  });

  it('renders over-an-hour cues in the document', () => {
    const vtt = buildWebVtt([{ startMs: 3_599_500, endMs: 3_661_250, text: 'Late' }]);
    expect(vtt).toContain('00:59:59.500 --> 01:01:01.250\nLate');
  });
});

describe('cuesFromDurations', () => {
  it('lays cues end to end from zero', () => {
    expect(cuesFromDurations([
      { text: 'a', durationMs: 1500 },
      { text: 'b', durationMs: 2250.4 },
      { text: 'c', durationMs: 1000 },
    ])).toEqual([
      { startMs: 0, endMs: 1500, text: 'a' },
      { startMs: 1500, endMs: 3750, text: 'b' },
      { startMs: 3750, endMs: 4750, text: 'c' },
    ]);
  });

  it('returns nothing for no items', () => {
    expect(cuesFromDurations([])).toEqual([]);
  });
});

describe('buildWebVtt language', () => {
  it('names a BCP 47 language in the header and leaves out anything else', () => {
    expect(buildWebVtt([{ startMs: 0, endMs: 1000, text: 'Hola.' }], { language: 'es' })).toBe('WEBVTT\nLanguage: es\n\n00:00:00.000 --> 00:00:01.000\nHola.\n');
    expect(buildWebVtt([], { language: 'pt-BR' })).toBe('WEBVTT\nLanguage: pt-BR\n');
    // Never a way to write a cue or a second header line into the file.
    expect(buildWebVtt([], { language: 'es\n\n00:00:00.000 --> 00:00:09.000\nPwned' })).toBe('WEBVTT\n');
  });
});
