// Conflicts PostgreSQL resolves by aborting one transaction: a deadlock (40P01) or a serialization
// failure (40001). The aborted transaction did nothing, so running it again is the correct answer,
// and every adapter's `transaction` does so a bounded number of times before giving up.
//
// Running it again is only safe because a transaction body does nothing outside the database that a
// second run would repeat: it computes what it writes from what it reads, and side effects (storage
// writes, HTTP calls, kicks, logs of the outcome) happen after the commit. Cleanup is the one place
// that deletes files while holding its locks; it re-lists under the lock and counts only what that
// run removed, so a second run finds nothing left to remove (lib/cleanup/units.ts).
import { log } from '@/lib/log';

/** Attempts in all, the first included. */
export const TRANSACTION_ATTEMPTS = 3;

const RETRYABLE = new Set(['40P01', '40001']);

/** The SQLSTATE of a database error from any of the three drivers, or undefined. */
function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryableConflict(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && RETRYABLE.has(code);
}

/** Before attempt 2, 3, ...: a few milliseconds, jittered so that the two sides of a deadlock do not meet again in step. */
const backoffMs = (attempt: number) => (5 + Math.random() * 20) * (attempt - 1);

/** Runs `run` until it succeeds, fails with anything but a conflict, or has been tried TRANSACTION_ATTEMPTS times. */
export async function retryConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableConflict(err)) throw err;
      log.warn('transaction retried', { code: sqlState(err), attempt, attempts: TRANSACTION_ATTEMPTS });
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt + 1)));
    }
  }
}
