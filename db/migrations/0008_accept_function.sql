-- 0008: accepting generate requests in one round trip, several at a time.
--
-- The generate route is the one every "Generate Video" click waits on. Sent from the client, accepting
-- one request took eight round trips (begin, owner upsert, owner lock, active count, video insert,
-- credit reservation, enqueue, commit), each waiting behind a busy event loop while the transaction
-- held a pooled connection and the owner's row lock. Here they run inside the server, and requests
-- that arrive together share one call and one commit (lib/videos/accept.ts batches them): a commit
-- and its WAL flush cost more than the rows a request writes.
--
-- Each request is still all or nothing and is checked on its own: one request's refusal writes
-- nothing for it and does not touch the others. Owner rows are locked in id order, so two calls
-- with overlapping owners wait for each other instead of deadlocking; every check after the locks
-- (idempotent replay, active-video cap, balance) sees what earlier requests committed, and what
-- earlier requests of the same call wrote.
--
-- _requests is a JSON array, one object per request:
--   { owner, startingCredits, maxActive, key, keyPattern, hash, maxAttempts, now,
--     videos: [{ id, key, topic, description, sceneCount, aspectRatio, resolution, provider, motion,
--                voice, burnCaptions, callbackUrl, cost }] }
-- One row comes back per accepted or replayed video, or one per refused request, tagged with the
-- request's position (0-based). Outcomes: created | replayed | key_reused | too_many_active |
-- insufficient_credits.
create function cueframe_accept_videos(_priorities jsonb, _requests jsonb)
returns table (req int, outcome text, id uuid, status text, cost_credits int, active int, needed int)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  _o record;
  _r record;
  _v record;
  _tier text;
  _balance int;
  _active int;
  _needed int;
  _task bigint;
begin
  -- First sight of an owner: create it with its starting grant, recorded in the ledger. In id order,
  -- like the locks below.
  for _o in
    select x.owner, max(x."startingCredits") as starting, min(x.now) as now
    from jsonb_to_recordset(_requests) as x(owner text, "startingCredits" int, now timestamptz)
    group by x.owner order by x.owner
  loop
    insert into owners (id, balance, created_at) values (_o.owner, _o.starting, _o.now) on conflict do nothing;
    if found and _o.starting > 0 then
      insert into credit_ledger (owner_id, kind, amount, balance_after, note, at)
      values (_o.owner, 'grant', _o.starting, _o.starting, 'starting grant', _o.now);
    end if;
  end loop;
  perform 1 from owners o
  where o.id in (select x.owner from jsonb_to_recordset(_requests) as x(owner text))
  order by o.id
  for update;

  for _r in
    select (e.ord - 1)::int as ord, e.r ->> 'owner' as owner, (e.r ->> 'maxActive')::int as max_active,
           e.r ->> 'key' as key, e.r ->> 'keyPattern' as key_pattern, e.r ->> 'hash' as hash,
           (e.r ->> 'maxAttempts')::int as max_attempts, (e.r ->> 'now')::timestamptz as now, e.r -> 'videos' as videos
    from jsonb_array_elements(_requests) with ordinality as e(r, ord)
    order by e.ord
  loop
    select o.tier, o.balance into _tier, _balance from owners o where o.id = _r.owner;

    if _r.key is not null and exists (
      select 1 from videos v where v.owner_id = _r.owner and (v.idempotency_key = _r.key or v.idempotency_key like _r.key_pattern)
    ) then
      if exists (
        select 1 from videos v
        where v.owner_id = _r.owner and (v.idempotency_key = _r.key or v.idempotency_key like _r.key_pattern)
          and v.request_hash <> _r.hash
      ) then
        return query select _r.ord, 'key_reused'::text, null::uuid, null::text, null::int, null::int, null::int;
      else
        return query
          select _r.ord, 'replayed'::text, v.id, v.status, v.cost_credits, null::int, null::int from videos v
          where v.owner_id = _r.owner and (v.idempotency_key = _r.key or v.idempotency_key like _r.key_pattern)
          order by v.idempotency_key;
      end if;
      continue;
    end if;

    if _r.max_active > 0 then
      select count(*)::int into _active from videos v
      where v.owner_id = _r.owner and v.status in ('queued', 'planning', 'rendering', 'composing');
      if _active + jsonb_array_length(_r.videos) > _r.max_active then
        return query select _r.ord, 'too_many_active'::text, null::uuid, null::text, null::int, _active, null::int;
        continue;
      end if;
    end if;

    -- The whole request is paid for or none of it.
    select coalesce(sum((x ->> 'cost')::int), 0)::int into _needed from jsonb_array_elements(_r.videos) x;
    if _needed > _balance then
      return query select _r.ord, 'insufficient_credits'::text, null::uuid, null::text, null::int, null::int, _needed;
      continue;
    end if;

    for _v in
      select * from jsonb_to_recordset(_r.videos) as x(
        id uuid, key text, topic text, description text, "sceneCount" int, "aspectRatio" text, resolution text,
        provider text, motion text, voice text, "burnCaptions" boolean, "callbackUrl" text, cost int)
    loop
      insert into videos (id, owner_id, idempotency_key, request_hash, topic, description, scene_count, aspect_ratio,
                          resolution, provider, motion, voice, burn_captions, callback_url, cost_credits, created_at, updated_at)
      values (_v.id, _r.owner, _v.key, _r.hash, _v.topic, _v.description, _v."sceneCount", _v."aspectRatio", _v.resolution,
              _v.provider, _v.motion, _v.voice, _v."burnCaptions", _v."callbackUrl", _v.cost, _r.now, _r.now);

      _balance := _balance - _v.cost;
      update owners o set balance = _balance where o.id = _r.owner;
      insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
      values (_r.owner, _v.id, 'reserve', 0, -_v.cost, _balance, _r.now);

      insert into tasks (video_id, owner_id, kind, priority, max_attempts, run_at, created_at, updated_at)
      values (_v.id, _r.owner, 'plan', coalesce((_priorities ->> _tier)::int, 0), _r.max_attempts, _r.now, _r.now, _r.now)
      returning tasks.id into _task;
      insert into task_events (task_id, video_id, type, at) values (_task, _v.id, 'enqueued', _r.now);

      return query select _r.ord, 'created'::text, _v.id, 'queued'::text, _v.cost, null::int, null::int;
    end loop;
    insert into queue_owners (owner_id) values (_r.owner) on conflict do nothing;
  end loop;
end
$$;
