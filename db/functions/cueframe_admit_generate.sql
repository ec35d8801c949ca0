-- version: 1
-- Lets a generate request in, in one round trip before cueframe_accept_videos:
--   1. the per-client generate rate (skipped when _rate_quota is 0);
--   2. for an anonymous owner seen for the first time (skipped when _grant_quota is 0), one of the
--      client's starting grants for the day. The owner row is created here, with its grant and its
--      ledger row, only when a grant was taken: past the cap no row is written, the request is refused
--      (402), and the owner gets a grant on a later day. A concurrent first request of the same owner
--      that loses the insert gives its grant back, so a grant is only spent on an owner it created.
-- Outcomes: admitted | rate_limited | no_grant. used and resets_at describe the rate window (for the
-- RateLimit fields), or for no_grant, the grant window (to say when grants come back).
-- A refused request takes nothing: a 429 writes nothing, and a 402 returns the rate unit it took.
create or replace function cueframe_admit_generate(
  _client text, _rate_resets_at timestamptz, _rate_quota int,
  _owner text, _grant_resets_at timestamptz, _grant_quota int, _starting int, _now timestamptz)
returns table (outcome text, used int, resets_at timestamptz)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  _taken boolean;
  _used int;
  _resets timestamptz;
  _granted boolean;
  _grant_used int;
  _grant_resets timestamptz;
begin
  if _rate_quota > 0 then
    select q.taken, q.used, q.resets_at into _taken, _used, _resets
    from cueframe_take_quota('generate', _client, _rate_resets_at, _rate_quota) q;
    if not _taken then
      return query select 'rate_limited'::text, _used, _resets;
      return;
    end if;
  end if;

  if _grant_quota > 0 and not exists (select 1 from owners o where o.id = _owner) then
    select q.taken, q.used, q.resets_at into _granted, _grant_used, _grant_resets
    from cueframe_take_quota('anon-grant', _client, _grant_resets_at, _grant_quota) q;
    if not _granted then
      if _rate_quota > 0 then
        perform cueframe_return_quota('generate', _client, _resets);
      end if;
      return query select 'no_grant'::text, _grant_used, _grant_resets;
      return;
    end if;
    insert into owners (id, balance, created_at, active_videos)
    values (_owner, _starting, _now,
            -- As in 0009: a new owner row counts any videos in progress it already has.
            (select count(*)::int from videos v where v.owner_id = _owner and cueframe_video_is_active(v.status)))
    on conflict do nothing;
    if found then
      insert into credit_ledger (owner_id, kind, amount, balance_after, note, at)
      values (_owner, 'grant', _starting, _starting, 'starting grant', _now);
    else
      perform cueframe_return_quota('anon-grant', _client, _grant_resets);
    end if;
  end if;

  return query select 'admitted'::text, _used, _resets;
end
$$;
