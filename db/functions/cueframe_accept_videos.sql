-- version: 4
-- Accepts a batch of generate requests in one round trip: owner rows, the active-video cap, credit
-- reservation, the videos and their first tasks (lib/videos/accept.ts). Taken over from migration 0009,
-- the latest definition (0008 first wrote it).

create or replace function cueframe_accept_videos(_priorities jsonb, _requests jsonb)
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
  for _o in
    select x.owner, max(x."startingCredits") as starting, min(x.now) as now
    from jsonb_to_recordset(_requests) as x(owner text, "startingCredits" int, now timestamptz)
    group by x.owner order by x.owner
  loop
    insert into owners (id, balance, created_at, active_videos)
    values (_o.owner, _o.starting, _o.now,
            -- Gated so that an existing owner (the usual case) costs one probe, not a count: the
            -- values are computed before the conflict is found.
            (select count(*)::int from videos v
             where v.owner_id = _o.owner and cueframe_video_is_active(v.status)
               and not exists (select 1 from owners x where x.id = _o.owner)))
    on conflict do nothing;
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
    -- active_videos includes what earlier requests of this call inserted (the insert trigger ran).
    select o.tier, o.balance, o.active_videos into _tier, _balance, _active from owners o where o.id = _r.owner;

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

    if _r.max_active > 0 and _active + jsonb_array_length(_r.videos) > _r.max_active then
      return query select _r.ord, 'too_many_active'::text, null::uuid, null::text, null::int, _active, null::int;
      continue;
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
        provider text, motion text, voice text, "burnCaptions" boolean, "callbackUrl" text, cost int,
        language text, script text, music text, "musicVolume" real, review boolean, metadata jsonb, traceparent text)
    loop
      insert into videos (id, owner_id, idempotency_key, request_hash, topic, description, scene_count, aspect_ratio,
                          resolution, provider, motion, voice, burn_captions, callback_url, cost_credits, created_at, updated_at,
                          language, script, music, music_volume, review, metadata, traceparent)
      values (_v.id, _r.owner, _v.key, _r.hash, _v.topic, _v.description, _v."sceneCount", _v."aspectRatio", _v.resolution,
              _v.provider, _v.motion, _v.voice, _v."burnCaptions", _v."callbackUrl", _v.cost, _r.now, _r.now,
              -- A deployment from before these fields shares the database and sends none of them.
              coalesce(_v.language, 'en'), _v.script, coalesce(_v.music, 'none'), coalesce(_v."musicVolume", 0),
              coalesce(_v.review, false), coalesce(_v.metadata, '{}'::jsonb), _v.traceparent);

      _balance := _balance - _v.cost;
      insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
      values (_r.owner, _v.id, 'reserve', 0, -_v.cost, _balance, _r.now);

      insert into tasks (video_id, owner_id, kind, priority, max_attempts, run_at, created_at, updated_at, traceparent)
      values (_v.id, _r.owner, 'plan', coalesce((_priorities ->> _tier)::int, 0), _r.max_attempts, _r.now, _r.now, _r.now,
              _v.traceparent)
      returning tasks.id into _task;
      insert into task_events (task_id, video_id, type, at) values (_task, _v.id, 'enqueued', _r.now);

      return query select _r.ord, 'created'::text, _v.id, 'queued'::text, _v.cost, null::int, null::int;
    end loop;
    update owners o set balance = _balance where o.id = _r.owner;
    insert into queue_owners (owner_id) values (_r.owner) on conflict do nothing;
  end loop;
end
$$;
