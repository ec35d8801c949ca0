// Leases: a running task stays ours only while we keep extending locked_until.
import type { Queryable } from '@/lib/db/types';

export interface LeaseInput {
  taskId: string;
  invocationId: string;
  now: Date;
  leaseMs: number;
}

/** Extends the lease. False means another invocation took the task over and this one must stop. */
export async function extendLease(q: Queryable, l: LeaseInput): Promise<boolean> {
  const r = await q.query(
    `update tasks
     set locked_until = $3::timestamptz + $4::int * interval '1 millisecond', updated_at = $3::timestamptz
     where id = $1::bigint and locked_by = $2::text and status = 'running'`,
    [l.taskId, l.invocationId, l.now, l.leaseMs],
  );
  return r.rowCount === 1;
}

export interface ExpiredTask {
  id: string;
  video_id: string;
  attempts: number;
  previous_owner: string | null;
}

/**
 * Stale-lock recovery: tasks whose lease ran out (their invocation crashed or was killed) go back
 * to ready, and the takeover is logged with the invocation that lost it.
 */
export async function releaseExpiredLeases(q: Queryable, now: Date): Promise<ExpiredTask[]> {
  const r = await q.query<ExpiredTask>(
    `with expired as (
       select id, locked_by from tasks
       where status = 'running' and locked_until < $1::timestamptz
       for update skip locked
     ), released as (
       update tasks t
       set status = 'ready', locked_by = null, locked_until = null, run_at = $1::timestamptz, updated_at = $1::timestamptz
       from expired
       where t.id = expired.id
       returning t.id, t.video_id, t.attempts, expired.locked_by as previous_owner
     ), logged as (
       insert into task_events (task_id, video_id, type, invocation_id, attempt, at)
       select id, video_id, 'lease_expired', previous_owner, attempts, $1::timestamptz from released
     )
     select * from released`,
    [now],
  );
  return r.rows;
}
