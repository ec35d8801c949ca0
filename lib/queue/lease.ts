// Leases: a running task stays ours only while we keep extending locked_until.
import type { Queryable } from '@/lib/db/types';
import { ADD_TO_COUNTERS, COUNTERS, shardOf } from './counters';

export interface LeaseInput {
  taskId: string;
  invocationId: string;
  now: Date;
  leaseMs: number;
}

export type LeaseState = 'held' | 'lost' | 'cancelled';

/**
 * Extends the lease. 'lost' means another invocation took the task over, 'cancelled' that its video
 * was cancelled; either way this invocation must stop at once and write nothing.
 */
export async function extendLease(q: Queryable, l: LeaseInput): Promise<LeaseState> {
  const r = await q.query<{ status: string; mine: boolean }>(
    `with extended as (
       update tasks
       set locked_until = $3::timestamptz + $4::int * interval '1 millisecond', updated_at = $3::timestamptz
       where id = $1::bigint and locked_by = $2::text and status = 'running'
       returning id
     )
     select t.status, (exists (select 1 from extended)) as mine from tasks t where t.id = $1::bigint`,
    [l.taskId, l.invocationId, l.now, l.leaseMs],
  );
  const row = r.rows[0];
  if (row?.mine) return 'held';
  return row?.status === 'cancelled' ? 'cancelled' : 'lost';
}

export interface ExpiredTask {
  id: string;
  video_id: string;
  kind: string;
  scene_index: number | null;
  attempts: number;
  status: 'ready' | 'dead';
  previous_owner: string | null;
}

/**
 * Stale-lock recovery: tasks whose lease ran out (their invocation crashed or was killed) go back to
 * ready, or are dead if the crashes used up their attempts; each takeover is logged with the
 * invocation that lost it and the attempt it cost, and counted (leases_expired) in the same statement.
 */
export async function releaseExpiredLeases(q: Queryable, now: Date): Promise<ExpiredTask[]> {
  const r = await q.query<ExpiredTask>(
    `with expired as (
       select id, locked_by from tasks
       where status = 'running' and locked_until < $1::timestamptz
       for update skip locked
     ), released as (
       update tasks t
       set status = case when t.attempts >= t.max_attempts then 'dead' else 'ready' end,
           last_error_code = case when t.attempts >= t.max_attempts then 'worker_lost' else t.last_error_code end,
           locked_by = null, locked_until = null, run_at = $1::timestamptz, updated_at = $1::timestamptz
       from expired
       where t.id = expired.id
       returning t.id, t.video_id, t.kind, t.scene_index, t.attempts, t.status, expired.locked_by as previous_owner
     ), logged as (
       insert into task_events (task_id, video_id, type, invocation_id, attempt, detail, at)
       select id, video_id, 'lease_expired', previous_owner, attempts, jsonb_build_object('now', status), $1::timestamptz
       from released
     ), bumps (name, labels, shard, value) as (
       select '${COUNTERS.leasesExpired}', jsonb_build_object('kind', kind), ${shardOf('id')}, 1::bigint from released
     ), counted as (
       ${ADD_TO_COUNTERS}
     )
     select * from released`,
    [now],
  );
  return r.rows;
}
