// Retry delays: exponential from a base, capped, with ±jitter so retries of a burst spread out. The
// delay itself is computed in SQL, where the failure is recorded (fail.ts).
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Fraction of the delay, e.g. 0.2 spreads each delay over ±20%. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000, jitter: 0.2 };
