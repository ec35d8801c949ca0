-- version: 2
-- The claim as one server-side function, so a claim is one round trip even with caps on.
--
-- With caps, claimers must count running tasks one at a time (advisory lock 7270002). Sent from the
-- client that was four round trips (begin, lock, claim, commit) held under the lock; here the lock, the
-- claim and the commit of the caller's implicit transaction happen without leaving the server. Each
-- statement in a volatile plpgsql function takes a fresh snapshot, so the claim, which runs after the
-- lock is granted, sees every claim committed before it: the caps stay exact.
--
-- Caps count live leases only. A running task whose lease has expired belongs to an invocation that
-- crashed or timed out; the sweep hands it back, and until then it must not hold a slot, or a mass
-- crash would stop the whole queue until the next sweep.
--
-- Taken over from migration 0007, the latest definition. Version 2 returns the task's traceparent
-- (migration 0023). A new result column is a new return type, which `create or replace` cannot give an
-- existing function, hence the drop; callers name the columns they read, so older deployments sharing
-- the database keep working with this version.

drop function if exists cueframe_claim_task(timestamptz, text, int, text[], int, int);

create or replace function cueframe_claim_task(
  _now timestamptz,
  _invocation text,
  _lease_ms int,
  _kinds text[],
  _max_running int,
  _owner_max_running int
) returns table (
  id bigint, video_id uuid, kind text, scene_index int, ref text, attempts int, max_attempts int,
  priority int, locked_until timestamptz, checkpoint jsonb, traceparent text
) language plpgsql volatile as $$
#variable_conflict use_column
declare
  _capped boolean := _max_running > 0 or _owner_max_running > 0;
  _task bigint;
begin
  if _capped then
    perform pg_advisory_xact_lock(7270002);
  end if;

  -- The fast path: the highest ready priority, then owners in rotation order (queue_owners_rotation),
  -- stopping at the first owner whose head task at that priority is claimable. One row is locked, so
  -- the cost does not grow with the number of owners.
  select c.id into _task
  from (
    select t.priority from tasks t
    where t.status = 'ready' and t.run_at <= _now and t.kind = any(_kinds)
    order by t.priority desc
    limit 1
  ) top
  cross join lateral (
    select o.owner_id from queue_owners o
    order by o.last_claimed_at nulls first, o.owner_id
  ) o
  cross join lateral (
    select t.id from tasks t
    where t.owner_id = o.owner_id and t.status = 'ready' and t.priority = top.priority
      and t.run_at <= _now and t.kind = any(_kinds)
    order by t.run_at, t.id
    limit 1
    for update skip locked
  ) c
  where (_owner_max_running = 0 or (select count(*) from (
          select 1 from tasks r where r.owner_id = o.owner_id and r.status = 'running' and r.locked_until > _now
            limit _owner_max_running) mine) < _owner_max_running)
    and (_max_running = 0 or (select count(*) from (
          select 1 from tasks r where r.status = 'running' and r.locked_until > _now
            limit _max_running) everyone) < _max_running)
  limit 1;

  -- Only when caps leave the top priority unclaimable: every owner's best task of any priority, so
  -- capped high-priority owners never block lower-priority work.
  if _task is null and _capped then
    select c.id into _task
    from queue_owners o
    cross join lateral (
      select t.id, t.priority, t.run_at from tasks t
      where t.owner_id = o.owner_id and t.status = 'ready' and t.run_at <= _now and t.kind = any(_kinds)
      order by t.priority desc, t.run_at, t.id
      limit 1
      for update skip locked
    ) c
    where (_owner_max_running = 0 or (select count(*) from (
            select 1 from tasks r where r.owner_id = o.owner_id and r.status = 'running' and r.locked_until > _now
            limit _owner_max_running) mine) < _owner_max_running)
      and (_max_running = 0 or (select count(*) from (
            select 1 from tasks r where r.status = 'running' and r.locked_until > _now
            limit _max_running) everyone) < _max_running)
    order by c.priority desc, o.last_claimed_at nulls first, c.run_at, c.id
    limit 1;
  end if;

  if _task is null then
    return;
  end if;

  return query
  with claimed as (
    update tasks t
    set status = 'running',
        attempts = t.attempts + 1,
        locked_by = _invocation,
        locked_until = _now + _lease_ms * interval '1 millisecond',
        updated_at = _now
    where t.id = _task and t.status = 'ready'
    returning t.id, t.video_id, t.owner_id, t.kind, t.scene_index, t.ref, t.attempts, t.max_attempts,
              t.priority, t.locked_until, t.checkpoint, t.traceparent
  ), served as (
    update queue_owners o set last_claimed_at = _now from claimed where o.owner_id = claimed.owner_id
  ), logged as (
    insert into task_events (task_id, video_id, type, invocation_id, attempt, at)
    select claimed.id, claimed.video_id, 'claimed', _invocation, claimed.attempts, _now from claimed
  )
  select claimed.id, claimed.video_id, claimed.kind, claimed.scene_index, claimed.ref, claimed.attempts,
         claimed.max_attempts, claimed.priority, claimed.locked_until, claimed.checkpoint, claimed.traceparent
  from claimed;
end
$$;
