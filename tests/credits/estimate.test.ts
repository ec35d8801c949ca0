// What a request is quoted before anything runs, music bed included.
import { describe, expect, it } from 'vitest';
import { estimateVideo, musicComputeSeconds, musicCredits, type EstimateInput } from '@/lib/credits/estimate';

const input = (over: Partial<EstimateInput> = {}): EstimateInput => ({
  sceneCount: 4, resolution: '720p', provider: 'local', motion: 'kenburns', music: 'calm', musicVolume: 0.3, ...over,
});

describe('estimateVideo and the music bed', () => {
  it('counts the bed in the time: more with a bed than without, growing with the scenes', () => {
    for (const sceneCount of [4, 12]) {
      const withBed = estimateVideo(input({ sceneCount }));
      const without = estimateVideo(input({ sceneCount, music: 'none' }));
      expect(withBed.estimatedSeconds).toBeGreaterThan(without.estimatedSeconds);
    }
    expect(musicComputeSeconds(input({ sceneCount: 12 }))).toBeGreaterThan(musicComputeSeconds(input({ sceneCount: 4 })));
  });

  it('costs no compute for no bed: none, or volume 0', () => {
    expect(musicComputeSeconds(input({ music: 'none', musicVolume: 1 }))).toBe(0);
    expect(musicComputeSeconds(input({ musicVolume: 0 }))).toBe(0);
    expect(estimateVideo(input({ musicVolume: 0 }))).toEqual(estimateVideo(input({ music: 'none' })));
  });

  it('prices the bed like any ffmpeg second: a fraction of a credit, so the whole-credit quote does not move', () => {
    for (const provider of ['local', 'openai'] as const) {
      for (const resolution of ['720p', '1080p'] as const) {
        const big = input({ provider, resolution, sceneCount: 12, musicVolume: 1 });
        expect(musicCredits(big)).toBeGreaterThan(0);
        expect(musicCredits(big)).toBeLessThan(0.05);
        expect(estimateVideo(big).credits).toBe(estimateVideo({ ...big, music: 'none' }).credits);
      }
    }
  });
});
