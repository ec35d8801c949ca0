import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paletteForKey, palettes } from '@/lib/media/palette';
import { createLocalProvider } from '@/lib/providers/local';
import type { SceneInput } from '@/lib/providers/types';
import { makeTmpDir } from '../../media/fixtures';
import { rawRgb } from '../../media/frames';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-cards-');
});
afterAll(async () => {
  await tmp?.cleanup();
});

const [width, height] = [640, 360];
const provider = createLocalProvider();
const signal = new AbortController().signal;

/** Renders every card of a planned video and returns each card's pixels. */
async function cardsOf(videoId: string, topic: string): Promise<Buffer[]> {
  const { scenes } = await provider.plan(
    { topic, description: null, sceneCount: 3, aspectRatio: '16:9', resolution: '720p', language: 'en', script: null }, { signal });
  return Promise.all(scenes.map(async (scene, i) => {
    const input: SceneInput = {
      videoId, topic, sceneIndex: i, sceneCount: scenes.length, narration: scene.narration, visualPrompt: scene.visualPrompt,
      durationMs: scene.durationMs, aspectRatio: '16:9', width, height, voice: 'ava', language: 'en',
    };
    const out = path.join(tmp.dir, `${videoId}-${i}.png`);
    await provider.sceneImage(input, out, { signal });
    return rawRgb(out);
  }));
}

const hex = (rgb: Buffer, x: number, y: number) => {
  const i = (y * width + x) * 3;
  return (rgb[i]! << 16) | (rgb[i + 1]! << 8) | rgb[i + 2]!;
};
const near = (a: number, b: number) => [16, 8, 0].every((s) => Math.abs(((a >> s) & 255) - ((b >> s) & 255)) <= 3);

describe('local scene images', () => {
  it('use one palette per video, chosen by its id, and differ between the title card and scene cards', async () => {
    const first = 'a1f0c7de-5b7e-4c39-9c61-0d3f6f3b2a10';
    // Another id that lands on another palette (the hash spreads ids over all of them).
    const second = Array.from({ length: 50 }, (_, i) => `b2e1d8ef-6c8f-4d4a-8d72-1e4070${String(i).padStart(6, '0')}`)
      .find((id) => paletteForKey(id) !== paletteForKey(first))!;
    expect(paletteForKey(first)).toBe(paletteForKey(first));
    const [a, b] = await Promise.all([cardsOf(first, 'How do bees make honey?'), cardsOf(second, 'How do bees make honey?')]);
    // The top-left corner is the gradient's start colour, away from glow, ring and text.
    const startOf = (id: string) => parseInt(paletteForKey(id).from.slice(2), 16);
    for (const card of a) expect(near(hex(card, 1, 1), startOf(first))).toBe(true);
    for (const card of b) expect(near(hex(card, 1, 1), startOf(second))).toBe(true);
    expect(near(startOf(first), startOf(second))).toBe(false);
    expect(a[0]!.equals(a[1]!)).toBe(false);
    expect(a[1]!.equals(a[2]!)).toBe(false);
    expect(new Set(palettes.map((p) => p.from)).size).toBe(palettes.length);
  });
});
