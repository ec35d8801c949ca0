import { describe, expect, it } from 'vitest';
import { formatEta } from '@/components/format';
import { estimateRemainingMs, type EtaVideo, type StepDurationStats } from '@/lib/pipeline/eta';
import type { SceneStatus, VideoStatus } from '@/lib/videos/types';

const stats: StepDurationStats = {
  plan: { p50Ms: 2_000, samples: 10 },
  render: { p50Ms: 12_000, samples: 40 },
  compose: { p50Ms: 3_000, samples: 10 },
};

function video(status: VideoStatus, sceneCount: number, scenes: SceneStatus[] = []): EtaVideo {
  return { status, sceneCount, scenes: scenes.map((s) => ({ status: s })) };
}

describe('estimateRemainingMs', () => {
  it('adds the plan, the renders in waves of `concurrency`, and compose while nothing has started', () => {
    // 2 s + ceil(4 / 2) × 12 s + 3 s
    expect(estimateRemainingMs(video('queued', 4), stats, { concurrency: 2 })).toBe(29_000);
    expect(estimateRemainingMs(video('planning', 4), stats, { concurrency: 2 })).toBe(29_000);
    // 2 s + ceil(5 / 2) × 12 s + 3 s
    expect(estimateRemainingMs(video('queued', 5), stats, { concurrency: 2 })).toBe(41_000);
    expect(estimateRemainingMs(video('queued', 4), stats, { concurrency: 1 })).toBe(53_000);
  });

  it('counts only the scenes not rendered yet once the plan is done', () => {
    const v = video('rendering', 4, ['rendered', 'rendering', 'pending', 'rendered']);
    // ceil(2 / 2) × 12 s + 3 s
    expect(estimateRemainingMs(v, stats, { concurrency: 2 })).toBe(15_000);
    expect(estimateRemainingMs(v, stats, { concurrency: 1 })).toBe(27_000);
    const last = video('rendering', 4, ['rendered', 'rendered', 'rendered', 'rendering']);
    expect(estimateRemainingMs(last, stats, { concurrency: 4 })).toBe(15_000);
  });

  it('leaves only compose while composing, and nothing once the video is finished', () => {
    expect(estimateRemainingMs(video('composing', 2, ['rendered', 'rendered']), stats, { concurrency: 2 })).toBe(3_000);
    for (const s of ['completed', 'failed', 'cancelled'] as const) {
      expect(estimateRemainingMs(video(s, 2, ['rendered', 'rendered']), stats, { concurrency: 2 })).toBeNull();
    }
  });

  it('gives no estimate when the queue has measured nothing yet', () => {
    const none: StepDurationStats = {
      plan: { p50Ms: 0, samples: 0 },
      render: { p50Ms: 0, samples: 0 },
      compose: { p50Ms: 0, samples: 0 },
    };
    expect(estimateRemainingMs(video('queued', 3), none, { concurrency: 2 })).toBeNull();
  });

  it('falls back to 5 s plan, 10 s render, 5 s compose for kinds without samples', () => {
    const rendersOnly: StepDurationStats = {
      plan: { p50Ms: 0, samples: 0 },
      render: { p50Ms: 7_000, samples: 3 },
      compose: { p50Ms: 0, samples: 0 },
    };
    // 5 s default plan + ceil(3 / 2) × 7 s + 5 s default compose
    expect(estimateRemainingMs(video('queued', 3), rendersOnly, { concurrency: 2 })).toBe(24_000);
    const planOnly: StepDurationStats = { ...rendersOnly, plan: { p50Ms: 1_000, samples: 1 }, render: { p50Ms: 0, samples: 0 } };
    // 1 s + ceil(3 / 2) × 10 s default + 5 s default compose
    expect(estimateRemainingMs(video('queued', 3), planOnly, { concurrency: 2 })).toBe(26_000);
  });

  it('treats a concurrency below 1 (or not a number) as 1', () => {
    const v = video('rendering', 2, ['pending', 'pending']);
    expect(estimateRemainingMs(v, stats, { concurrency: 0 })).toBe(27_000);
    expect(estimateRemainingMs(v, stats, { concurrency: Number.NaN })).toBe(27_000);
  });
});

describe('formatEta', () => {
  it('says seconds under a minute, rounded up to 5 s', () => {
    expect(formatEta(40_000)).toBe('About 40 s left');
    expect(formatEta(36_100)).toBe('About 40 s left');
    expect(formatEta(1_200)).toBe('About 5 s left');
    expect(formatEta(59_000)).toBe('About 1 min left');
  });

  it('says minutes, then hours and minutes', () => {
    expect(formatEta(90_000)).toBe('About 2 min left');
    expect(formatEta(125_000)).toBe('About 2 min left');
    expect(formatEta(59 * 60_000)).toBe('About 59 min left');
    expect(formatEta(95 * 60_000)).toBe('About 1 h 35 min left');
    expect(formatEta(120 * 60_000)).toBe('About 2 h left');
  });

  it('says almost done at zero, and nothing for no estimate', () => {
    expect(formatEta(0)).toBe('Almost done');
    expect(formatEta(-5)).toBe('Almost done');
    expect(formatEta(null)).toBeNull();
    expect(formatEta(undefined)).toBeNull();
    expect(formatEta(Number.NaN)).toBeNull();
  });
});
