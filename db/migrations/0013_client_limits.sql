-- 0013: per-client limits, shared by every instance.
--
-- Dropping the owner cookie made a new owner, with a fresh starting grant, on every request; and
-- nothing bounded how fast one client could call generate, estimate or the admin login. Both are
-- counted here, per client address (an IPv4 address or an IPv6 /64, lib/limits/client.ts), because
-- a serverless deployment has no memory shared between instances other than this database.
--
-- One row per (policy, client): a fixed window that ends at resets_at and how much of its quota was
-- used. A take moves the row to the caller's window when the stored one has ended, so the table
-- holds one row per active client and policy, not one per window; cleanup deletes rows whose window
-- ended (lib/limits/quota.ts). Only what is let through is counted: a refused take writes nothing,
-- so a client that keeps knocking while throttled does not push its own reset further away.
create table client_limits (
  policy text not null,
  client text not null,
  resets_at timestamptz not null,
  used int not null check (used >= 0),
  primary key (policy, client)
);

-- Takes one unit of _policy's quota for _client in the window ending at _resets_at (computed by the
-- caller from its clock). A row whose window ends later than the caller's (another instance's clock
-- runs ahead) is counted as it stands rather than moved back, so clock skew never reopens a window.
-- Returns whether the unit was taken, and the window's use and end either way.
create function cueframe_take_quota(_policy text, _client text, _resets_at timestamptz, _quota int)
returns table (taken boolean, used int, resets_at timestamptz)
language plpgsql volatile as $$
#variable_conflict use_column
begin
  return query
    insert into client_limits as l (policy, client, resets_at, used)
    values (_policy, _client, _resets_at, 1)
    on conflict (policy, client) do update
      set used = case when l.resets_at >= excluded.resets_at then l.used + 1 else 1 end,
          resets_at = greatest(l.resets_at, excluded.resets_at)
      where l.resets_at < excluded.resets_at or l.used < _quota
    returning true, l.used, l.resets_at;
  if not found then
    -- Refused. The conflict left the row locked, so this reads it as it stands.
    return query select false, l.used, l.resets_at from client_limits l where l.policy = _policy and l.client = _client;
  end if;
end
$$;

-- Gives back a unit taken earlier in the same transaction, for a request that was then refused for
-- another reason. A row back at zero is removed, so a refused first request leaves no row at all.
create function cueframe_return_quota(_policy text, _client text, _resets_at timestamptz)
returns void language sql volatile as $$
  delete from client_limits where policy = _policy and client = _client and resets_at = _resets_at and used <= 1;
  update client_limits set used = used - 1 where policy = _policy and client = _client and resets_at = _resets_at and used > 1;
$$;

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
create function cueframe_admit_generate(
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
