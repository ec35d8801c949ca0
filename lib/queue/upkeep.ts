// Housekeeping that invocations take turns at, between claims. Vercel may run many instances, each
// invoked at its own pace, so the turn is taken in the database: the first invocation of an interval
// to move a job's last run forward runs it, and every other one skips it for one round trip.
import type { Db, Queryable } from '@/lib/db/types';
import { errorFields, log } from '@/lib/log';
import { pruneIdleQueueOwners, type PruneResult } from './owners';

// Most calls come while the job is not due: the `not exists` makes those insert nothing, so they take
// no row lock and write nothing (no transaction id, no WAL, no commit flush). A due call goes on to the
// conflict, where the update's condition is evaluated on the row as locked: of two invocations taking
// the same turn at once, the second sees the first's time and gets nothing back.
const TAKE_TURN = `insert into queue_upkeep (job, last_run_at)
  select $1::text, $2::timestamptz
  where not exists (
    select 1 from queue_upkeep
    where job = $1::text and last_run_at > $2::timestamptz - $3::int * interval '1 millisecond')
  on conflict (job) do update set last_run_at = excluded.last_run_at
  where queue_upkeep.last_run_at <= excluded.last_run_at - $3::int * interval '1 millisecond'
  returning job`;

/** Whether this caller has the turn at `job` now (it last ran at least `everyMs` ago, or never). */
export async function takeTurn(q: Queryable, job: string, now: Date, everyMs: number): Promise<boolean> {
  return (await q.query(TAKE_TURN, [job, now, everyMs])).rowCount === 1;
}

const ROTATION_PRUNE_EVERY_MS = 10 * 60_000;
/** Racing transactions are waited for this long here (the daily cleanup waits 30 s); any still open are restored at the next turn. */
const PRUNE_WAIT_MS = 5_000;

/**
 * Takes owners whose work has finished out of the claim's rotation within minutes, not at the next
 * daily cleanup, so that a busy day's finished owners do not slow every claim until then. Never
 * throws: the claim that follows is right either way, only slower.
 */
export async function pruneRotationIfDue(db: Db, now: Date): Promise<PruneResult | null> {
  try {
    if (!(await takeTurn(db, 'prune_rotation', now, ROTATION_PRUNE_EVERY_MS))) return null;
    const result = await pruneIdleQueueOwners(db, { waitMs: PRUNE_WAIT_MS });
    if (result.removed > 0) log.info('queue rotation pruned', { ...result });
    return result;
  } catch (err) {
    log.warn('queue rotation prune failed; claims walk idle owners until a later turn', errorFields(err));
    return null;
  }
}
