import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionFilters, captionLayout } from '@/lib/media/burn-captions';
import { makeTmpDir } from './fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-burn-');
});
afterAll(async () => {
  await tmp.cleanup();
});

const textFileOf = (filter: string) => /textfile=([^:]+)/.exec(filter)?.[1] ?? '';

describe('captionFilters', () => {
  it('draws each cue from text files, at most two lines, only during the cue', async () => {
    const long = 'word '.repeat(60) + '%{pts} \'quoted\' C:\\path';
    const filters = await captionFilters([{ text: long, startMs: 1000, endMs: 2500 }], 1280, 720, 5000, tmp.dir);
    expect(filters).toHaveLength(2);
    for (const f of filters) {
      expect(f).toMatch(/^drawtext=/);
      expect(f).toContain(':expansion=none');
      // The text never reaches the filter graph itself, so nothing in it can break the graph's syntax.
      expect(f).not.toMatch(/[:=]text=/);
      expect(f).not.toContain('word');
      expect(f).toContain(`enable='between(t,1,2.4995)'`);
    }
    const second = await readFile(textFileOf(filters[1]), 'utf8');
    expect(second.endsWith('…')).toBe(true);
  });

  it('skips empty cues and clamps cues to the clip', async () => {
    const filters = await captionFilters([
      { text: '   ', startMs: 0, endMs: 1000 },
      { text: 'late', startMs: 6000, endMs: 7000 },
      { text: 'overruns', startMs: 4000, endMs: 9000 },
    ], 1280, 720, 5000, tmp.dir);
    expect(filters).toHaveLength(1);
    expect(filters[0]).toContain(`enable='between(t,4,4.9995)'`);
  });
});

describe('captionLayout', () => {
  it.each([[1280, 720], [720, 1280], [1920, 1080]])('keeps %dx%d captions inside the lower part of the frame', (width, height) => {
    const layout = captionLayout(width, height);
    const [one] = layout.baselines(1);
    const two = layout.baselines(2);
    // The bottom line stays put whether a cue has one line or two.
    expect(two[1]).toBe(one);
    expect(two[0]).toBeLessThan(two[1] - layout.size);
    expect(two[0] - layout.size - layout.border).toBeGreaterThan(height * 0.6);
    expect(one + layout.size * 0.3 + layout.border).toBeLessThan(height);
  });
});
