// A failed attempt is retried later (backoff computed in SQL, like graphile-worker) or, when the error
// is permanent or the attempts are used up, the task is dead and is never claimed again.
import type { Queryable } from '@/lib/db/types';
import type { BackoffPolicy } from './backoff';

export interface FailInput {
  taskId: string;
  invocationId: string;
  now: Date;
  code: string;
  message: string;
  permanent: boolean;
  /** Retry at once instead of backing off: the step was cut short by the time budget, not by a fault. */
  immediate?: boolean;
  /** The service's own Retry-After: the retry is never sooner than this. */
  minDelayMs?: number;
  backoff: BackoffPolicy;
}

export interface FailOutcome {
  status: 'ready' | 'dead';
  attempts: number;
  run_at: Date;
}

/** Null means the task was no longer ours (lease lost or cancelled), so there is nothing to record. */
export async function failTask(q: Queryable, f: FailInput): Promise<FailOutcome | null> {
  const r = await q.query<FailOutcome>(
    `update tasks
     set status = case when $6::boolean or attempts >= max_attempts then 'dead' else 'ready' end,
         run_at = case when $6::boolean or attempts >= max_attempts or $10::boolean then $3::timestamptz
                  -- Whole milliseconds, so a run_at read back into a JS Date is exactly claimable.
                  else date_trunc('milliseconds', $3::timestamptz + interval '1 millisecond' * greatest($11::float8,
                       least($8::float8, $7::float8 * power(2, attempts - 1)) * (1 + $9::float8 * (random() * 2 - 1)))) end,
         locked_by = null, locked_until = null,
         last_error_code = $4::text, last_error = $5::text, updated_at = $3::timestamptz
     where id = $1::bigint and locked_by = $2::text and status = 'running'
     returning status, attempts, run_at`,
    [f.taskId, f.invocationId, f.now, f.code, f.message, f.permanent, f.backoff.baseMs, f.backoff.capMs,
     f.backoff.jitter, f.immediate ?? false, f.minDelayMs ?? 0],
  );
  return r.rows[0] ?? null;
}
