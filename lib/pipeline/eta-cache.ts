// The status route is polled every second by every open page, so measured step durations are
// computed at most once a minute per process rather than on every poll.
import type { Queryable } from '@/lib/db/types';
import type { VideoVersion } from '@/lib/videos/view';
import { estimateRemainingMs, stepDurationStats, type StepDurationStats } from './eta';

const TTL_MS = 60_000;
const cache = new WeakMap<Queryable, { at: number; stats: Promise<StepDurationStats> }>();

export function cachedStepStats(q: Queryable, now: Date): Promise<StepDurationStats> {
  const hit = cache.get(q);
  if (hit && now.getTime() - hit.at < TTL_MS) return hit.stats;
  const stats = stepDurationStats(q, now);
  cache.set(q, { at: now.getTime(), stats });
  // Until something has been measured there is nothing worth keeping: the first finished step
  // should produce an estimate on the very next poll, not a minute later.
  stats.then((s) => Object.values(s).every((k) => k.samples === 0) && cache.delete(q), () => cache.delete(q));
  return stats;
}

/** The status route's estimate for one video: cached measurements, the workflow's formula. */
export async function estimateVideo(deps: { db: Queryable; now: Date; concurrency: number }, v: VideoVersion): Promise<number | null> {
  return estimateRemainingMs(v, await cachedStepStats(deps.db, deps.now), { concurrency: deps.concurrency });
}
