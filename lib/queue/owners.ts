// The claim's rotation (queue_owners) keeps an owner once it has queued anything, and the claim walks
// it least-recently-served first, so owners with nothing left to run would sit at the front of every
// walk: each costs the claim an index probe, so at tens of thousands of idle owners a claim spends
// hundreds of milliseconds skipping them, under the caps' lock. Cleanup prunes them here.
//
// Why it is safe without locking the hot paths: every path that makes a task ready for an owner who
// has none either inserts the owner's row in the same transaction (accept, enqueue, retry, re-queue)
// or starts from a running task, whose owner is never pruned. The one race left is a transaction that
// found the row present (so inserted nothing) and had not committed when the prune deleted it; so the
// prune waits for the transactions in progress at its commit to end, then puts back every owner that
// has ready work.
import type { Db } from '@/lib/db/types';

export interface PruneResult {
  /** Rotation rows removed for owners with nothing ready or running. */
  removed: number;
  /** Owners put back because a transaction racing the prune made work ready for them. */
  restored: number;
  /** Racing transactions still open when the wait ran out; their owners are restored by the next run. */
  unsettled: number;
}

export interface PruneOptions {
  /** How long to wait for the transactions in progress at the delete to end (default 30 s). */
  waitMs?: number;
  pollMs?: number;
}

// The owners with work are read from the two partial indexes, so the cost follows the work in flight,
// not the size of tasks: `status in ('ready', 'running')` in one probe scans every task ever run, so
// its cost would grow with the history (done tasks) rather than with the work in flight.
export const DELETE_IDLE = `delete from queue_owners q
  where not exists (
    select 1 from (
      select owner_id from tasks where status = 'ready'
      union all
      select owner_id from tasks where status = 'running'
    ) busy
    where busy.owner_id = q.owner_id)`;

// Other sessions of this database that hold a transaction id: the only ones that can have written a
// ready task the delete could not see. Without pg_read_all_stats, backend_xid is shown only for
// sessions of the same role; every writer of tasks is the app itself, on the same role.
const WRITERS = `select pid, backend_xid::text as xid from pg_stat_activity
  where datname = current_database() and backend_xid is not null and pid <> pg_backend_pid()`;

const RESTORE = `insert into queue_owners (owner_id)
  select t.owner_id from tasks t where t.status = 'ready' group by t.owner_id
  on conflict do nothing`;

export async function pruneIdleQueueOwners(db: Db, o: PruneOptions = {}): Promise<PruneResult> {
  const removed = (await db.query(DELETE_IDLE)).rowCount;
  if (removed === 0) return { removed, restored: 0, unsettled: 0 };
  // A transaction is its backend and its xid: a backend that has moved on to another is done.
  const writers = async () => new Set((await db.query<{ pid: number; xid: string }>(WRITERS)).rows.map((w) => `${w.pid}:${w.xid}`));
  const racing = await writers();
  const deadline = Date.now() + (o.waitMs ?? 30_000);
  while (racing.size > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
    const still = await writers();
    for (const k of racing) if (!still.has(k)) racing.delete(k);
  }
  const restored = (await db.query(RESTORE)).rowCount;
  return { removed, restored, unsettled: racing.size };
}
