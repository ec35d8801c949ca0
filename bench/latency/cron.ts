// The cron-only baseline: a task enqueued at a uniformly random moment waits for the next tick,
// i.e. U(0, T). Computed in closed form and by simulation (seeded, so runs are repeatable).
import { summarize, type Summary } from '../lib/stats';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CronModel {
  intervalMs: number;
  /** Closed form for U(0, T): mean = p50 = T/2, p95 = 0.95 T, p99 = 0.99 T. */
  analytic: { mean: number; p50: number; p95: number; p99: number };
  simulated: Summary;
}

export function cronModel(intervalMs: number, samples = 100_000, seed = 42): CronModel {
  const rand = rng(seed);
  const waits: number[] = [];
  for (let i = 0; i < samples; i++) {
    const arrival = rand() * intervalMs * 1_000;
    waits.push(intervalMs - (arrival % intervalMs));
  }
  const T = intervalMs;
  return { intervalMs, analytic: { mean: T / 2, p50: T / 2, p95: 0.95 * T, p99: 0.99 * T }, simulated: summarize(waits) };
}
