// Where a job is claimed. One statement picks the next ready task, leases it to this invocation and
// logs the claim. Owners take turns (the one served longest ago goes first, within priority), so one
// owner's backlog never starves another's single video.
import type { Db } from '@/lib/db/types';
import type { ClaimedTask, TaskKind } from './types';

export interface ClaimInput {
  invocationId: string;
  now: Date;
  leaseMs: number;
  /** Only kinds whose estimated run fits the invocation's remaining time budget. */
  kinds: readonly TaskKind[];
  /** Caps on running tasks, globally and per owner; 0 means no cap. */
  maxRunning: number;
  ownerMaxRunning: number;
}

// Caps are counted, so two claimers must not count at once; this lock makes claims take turns for the
// few milliseconds a claim takes. Without caps, `skip locked` alone keeps claimers apart.
const CLAIM_LOCK = 7_270_002;

// Running tasks counted only up to the cap (owner's, then global), so the check costs O(cap).
const CAP_CHECKS = `where ($6::int = 0 or (select count(*) from (
          select 1 from tasks r where r.owner_id = o.owner_id and r.status = 'running' limit $6::int) mine) < $6::int)
    and ($5::int = 0 or (select count(*) from (
          select 1 from tasks r where r.status = 'running' limit $5::int) everyone) < $5::int)`;

const CLAIM_TAIL = `claimed as (
  update tasks t
  set status = 'running',
      attempts = t.attempts + 1,
      locked_by = $2::text,
      locked_until = $1::timestamptz + $3::int * interval '1 millisecond',
      updated_at = $1::timestamptz
  from next
  where t.id = next.id and t.status = 'ready'
  returning t.id, t.video_id, t.owner_id, t.kind, t.scene_index, t.ref, t.attempts, t.max_attempts, t.priority, t.locked_until, t.checkpoint
), served as (
  update queue_owners o set last_claimed_at = $1::timestamptz from claimed where o.owner_id = claimed.owner_id
), logged as (
  insert into task_events (task_id, video_id, type, invocation_id, attempt, at)
  select id, video_id, 'claimed', $2::text, attempts, $1::timestamptz from claimed
)
select id, video_id, kind, scene_index, ref, attempts, max_attempts, priority, locked_until, checkpoint from claimed`;

// The fast path: the highest ready priority, then owners in rotation order (index scan on
// queue_owners_rotation), stopping at the first owner whose head task at that priority is claimable.
// Only that one task is locked, so the cost does not grow with the number of owners.
const CLAIM_SQL = `
with top as (
  select t.priority from tasks t
  where t.status = 'ready' and t.run_at <= $1::timestamptz and t.kind = any($4::text[])
  order by t.priority desc
  limit 1
), next as (
  select c.id
  from top
  cross join lateral (
    select o.owner_id, o.last_claimed_at from queue_owners o
    order by o.last_claimed_at nulls first, o.owner_id
  ) o
  cross join lateral (
    select t.id from tasks t
    where t.owner_id = o.owner_id and t.status = 'ready' and t.priority = top.priority
      and t.run_at <= $1::timestamptz and t.kind = any($4::text[])
    order by t.run_at, t.id
    limit 1
    for update skip locked
  ) c
  ${CAP_CHECKS}
  limit 1
), ${CLAIM_TAIL}`;

// The full path, used only when caps leave the top priority unclaimable: every owner's best task of
// any priority, so capped high-priority owners never block lower-priority work.
const CLAIM_ANY_PRIORITY_SQL = `
with next as (
  select c.id
  from queue_owners o
  cross join lateral (
    select t.id, t.priority, t.run_at from tasks t
    where t.owner_id = o.owner_id and t.status = 'ready' and t.run_at <= $1::timestamptz and t.kind = any($4::text[])
    order by t.priority desc, t.run_at, t.id
    limit 1
    for update skip locked
  ) c
  ${CAP_CHECKS}
  order by c.priority desc, o.last_claimed_at nulls first, c.run_at, c.id
  limit 1
), ${CLAIM_TAIL}`;

export async function claimTask(db: Db, c: ClaimInput): Promise<ClaimedTask | null> {
  if (c.kinds.length === 0) return null;
  const params = [c.now, c.invocationId, c.leaseMs, c.kinds, c.maxRunning, c.ownerMaxRunning];
  if (c.maxRunning === 0 && c.ownerMaxRunning === 0) {
    return (await db.query<ClaimedTask>(CLAIM_SQL, params)).rows[0] ?? null;
  }
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::bigint)', [CLAIM_LOCK]);
    const fast = (await tx.query<ClaimedTask>(CLAIM_SQL, params)).rows[0];
    if (fast) return fast;
    // Nothing at the top priority was claimable under the caps; lower priorities may still be.
    return (await tx.query<ClaimedTask>(CLAIM_ANY_PRIORITY_SQL, params)).rows[0] ?? null;
  });
}
