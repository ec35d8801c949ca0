// Where a job is claimed. One statement picks the next ready task, leases it to this invocation
// and logs the claim; `skip locked` lets any number of invocations race without blocking each other.
import type { Queryable } from '@/lib/db/types';
import type { ClaimedTask } from './types';

export interface ClaimInput {
  invocationId: string;
  now: Date;
  leaseMs: number;
}

export async function claimTask(q: Queryable, c: ClaimInput): Promise<ClaimedTask | null> {
  const r = await q.query<ClaimedTask>(
    `with next as (
       select id from tasks
       where status = 'ready' and run_at <= $1::timestamptz
       order by priority desc, run_at, id
       limit 1
       for update skip locked
     ), claimed as (
       update tasks t
       set status = 'running',
           attempts = t.attempts + 1,
           locked_by = $2::text,
           locked_until = $1::timestamptz + $3::int * interval '1 millisecond',
           updated_at = $1::timestamptz
       from next
       where t.id = next.id
       returning t.id, t.video_id, t.kind, t.scene_index, t.attempts, t.max_attempts, t.priority, t.locked_until
     ), logged as (
       insert into task_events (task_id, video_id, type, invocation_id, attempt, at)
       select id, video_id, 'claimed', $2::text, attempts, $1::timestamptz from claimed
     )
     select * from claimed`,
    [c.now, c.invocationId, c.leaseMs],
  );
  return r.rows[0] ?? null;
}
