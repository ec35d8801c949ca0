-- 0008: accepting a generate request in one round trip.
--
-- The generate route is the one every "Generate Video" click waits on. Sent from the client, accepting
-- took eight round trips (begin, owner upsert, owner lock, active count, video insert, credit
-- reservation, enqueue, commit), each waiting behind a busy event loop while the transaction held a
-- pooled connection and the owner's row lock. Here they run inside the server, in the caller's
-- implicit transaction: everything commits together or not at all, as before.
--
-- The owner row lock serialises one owner's requests, and every check after it (idempotent replay,
-- active-video cap, balance) runs in a statement that starts after the lock is granted, so it sees
-- what the previous request committed. Refusals are returned as an outcome row rather than raised,
-- so nothing is written and the caller maps the outcome to its error.
--
-- _videos is a JSON array, one object per video, in request order:
--   { id, key, topic, description, sceneCount, aspectRatio, resolution, provider, motion, voice,
--     burnCaptions, callbackUrl, cost }
-- Outcomes: created | replayed | key_reused | too_many_active | insufficient_credits.
create function cueframe_accept_videos(
  _owner text,
  _grant int,
  _now timestamptz,
  _max_active int,
  _key text,
  _key_pattern text,
  _hash text,
  _max_attempts int,
  _priorities jsonb,
  _videos jsonb
) returns table (outcome text, id uuid, status text, cost_credits int, active int, needed int)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  _tier text;
  _balance int;
  _active int := 0;
  _needed int;
  _priority int;
  _v record;
  _task bigint;
begin
  -- First sight of an owner: create it with its starting grant, recorded in the ledger.
  insert into owners (id, balance, created_at) values (_owner, _grant, _now) on conflict do nothing;
  if found and _grant > 0 then
    insert into credit_ledger (owner_id, kind, amount, balance_after, note, at)
    values (_owner, 'grant', _grant, _grant, 'starting grant', _now);
  end if;
  select o.tier, o.balance into _tier, _balance from owners o where o.id = _owner for update;

  if _key is not null and exists (
    select 1 from videos v where v.owner_id = _owner and (v.idempotency_key = _key or v.idempotency_key like _key_pattern)
  ) then
    if exists (
      select 1 from videos v
      where v.owner_id = _owner and (v.idempotency_key = _key or v.idempotency_key like _key_pattern) and v.request_hash <> _hash
    ) then
      return query select 'key_reused'::text, null::uuid, null::text, null::int, null::int, null::int;
    else
      return query
        select 'replayed'::text, v.id, v.status, v.cost_credits, null::int, null::int from videos v
        where v.owner_id = _owner and (v.idempotency_key = _key or v.idempotency_key like _key_pattern)
        order by v.idempotency_key;
    end if;
    return;
  end if;

  if _max_active > 0 then
    select count(*)::int into _active from videos v
    where v.owner_id = _owner and v.status in ('queued', 'planning', 'rendering', 'composing');
    if _active + jsonb_array_length(_videos) > _max_active then
      return query select 'too_many_active'::text, null::uuid, null::text, null::int, _active, null::int;
      return;
    end if;
  end if;

  -- The whole batch is paid for or none of it.
  select coalesce(sum((x ->> 'cost')::int), 0)::int into _needed from jsonb_array_elements(_videos) x;
  if _needed > _balance then
    return query select 'insufficient_credits'::text, null::uuid, null::text, null::int, null::int, _needed;
    return;
  end if;

  _priority := coalesce((_priorities ->> _tier)::int, 0);
  for _v in
    select * from jsonb_to_recordset(_videos) as x(
      id uuid, key text, topic text, description text, "sceneCount" int, "aspectRatio" text, resolution text,
      provider text, motion text, voice text, "burnCaptions" boolean, "callbackUrl" text, cost int)
  loop
    insert into videos (id, owner_id, idempotency_key, request_hash, topic, description, scene_count, aspect_ratio,
                        resolution, provider, motion, voice, burn_captions, callback_url, cost_credits, created_at, updated_at)
    values (_v.id, _owner, _v.key, _hash, _v.topic, _v.description, _v."sceneCount", _v."aspectRatio", _v.resolution,
            _v.provider, _v.motion, _v.voice, _v."burnCaptions", _v."callbackUrl", _v.cost, _now, _now);

    _balance := _balance - _v.cost;
    update owners o set balance = _balance where o.id = _owner;
    insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
    values (_owner, _v.id, 'reserve', 0, -_v.cost, _balance, _now);

    insert into tasks (video_id, owner_id, kind, priority, max_attempts, run_at, created_at, updated_at)
    values (_v.id, _owner, 'plan', _priority, _max_attempts, _now, _now, _now)
    returning tasks.id into _task;
    insert into task_events (task_id, video_id, type, at) values (_task, _v.id, 'enqueued', _now);

    return query select 'created'::text, _v.id, 'queued'::text, _v.cost, null::int, null::int;
  end loop;
  insert into queue_owners (owner_id) values (_owner) on conflict do nothing;
end
$$;
