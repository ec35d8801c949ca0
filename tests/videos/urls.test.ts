// Signed-URL expiries: stable within a 5-minute period (so polls get 304s), offset per video (so the
// pollers of many videos do not all get new URLs and full bodies in the same second), and never
// longer than Vercel Blob will sign.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { MAX_BLOB_LINK_SECONDS } from '@/lib/storage/blob-links';
import { BOUNDARY_SECONDS, urlExpiry } from '@/lib/videos/urls';

const NOW = 1_900_000_007; // unix seconds, not on a boundary
const TTL = 3_600;
const ids = Array.from({ length: 1_000 }, (_, i) => `0b7c6f7e-1111-4222-8333-${String(i).padStart(12, '0')}`);

describe('urlExpiry', () => {
  it('without a video, rounds up to a shared boundary', () => {
    const e = urlExpiry(NOW, TTL);
    expect(e % BOUNDARY_SECONDS).toBe(0);
    expect(e - NOW).toBeGreaterThanOrEqual(TTL);
    expect(e - NOW).toBeLessThan(TTL + BOUNDARY_SECONDS);
  });

  it('gives each video a link that lasts at least the TTL and less than one period more', () => {
    for (const id of ids) {
      const e = urlExpiry(NOW, TTL, id);
      expect(e - NOW, id).toBeGreaterThanOrEqual(TTL);
      expect(e - NOW, id).toBeLessThan(TTL + BOUNDARY_SECONDS);
    }
  });

  it('keeps one expiry per video for a whole period, then moves it by exactly one period', () => {
    for (const id of ids.slice(0, 20)) {
      const series = Array.from({ length: 901 }, (_, s) => urlExpiry(NOW + s, TTL, id));
      const steps = series.slice(1).map((e, s) => e - series[s]!).filter((d) => d !== 0);
      // 900 s of polling cross exactly three of the video's boundaries, each a move of one period.
      expect(steps, id).toEqual([BOUNDARY_SECONDS, BOUNDARY_SECONDS, BOUNDARY_SECONDS]);
    }
  });

  it('spreads the boundaries of many videos across the period instead of one shared second', () => {
    const offsets = new Set(ids.map((id) => urlExpiry(NOW, TTL, id) % BOUNDARY_SECONDS));
    // 1,000 videos over 300 possible seconds: a shared boundary would give 1.
    expect(offsets.size).toBeGreaterThan(250);
    // Over any 10 s of polling, only videos whose boundary falls in those 10 s get new URLs.
    const changed = ids.filter((id) => urlExpiry(NOW, TTL, id) !== urlExpiry(NOW + 10, TTL, id)).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(ids.length / 10);
  });

  it('stays within what Vercel Blob signs at the longest TTL the config accepts', () => {
    const max = loadConfig({ SIGNED_URL_TTL_SECONDS: String(MAX_BLOB_LINK_SECONDS - BOUNDARY_SECONDS) }).signedUrlTtlSeconds;
    for (const id of ids) expect(urlExpiry(NOW, max, id) - NOW, id).toBeLessThanOrEqual(MAX_BLOB_LINK_SECONDS);
    expect(() => loadConfig({ SIGNED_URL_TTL_SECONDS: String(max + 1) })).toThrow(/SIGNED_URL_TTL_SECONDS[\s\S]*at most 604500/);
  });
});
