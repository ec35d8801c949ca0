// Retry delays: exponential from a base, capped, with ±jitter so retries of a burst spread out.
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Fraction of the delay, e.g. 0.2 spreads each delay over ±20%. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000, jitter: 0.2 };

/** The delay before the retry that follows failed attempt `attempt` (1-based), before jitter. */
export function backoffMs(attempt: number, p: BackoffPolicy): number {
  return Math.min(p.capMs, p.baseMs * 2 ** (attempt - 1));
}
