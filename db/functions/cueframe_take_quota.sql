-- version: 1
-- Takes one unit of _policy's quota for _client in the window ending at _resets_at (computed by the
-- caller from its clock). A row whose window ends later than the caller's (another instance's clock
-- runs ahead) is counted as it stands rather than moved back, so clock skew never reopens a window.
-- Returns whether the unit was taken, and the window's use and end either way.
create or replace function cueframe_take_quota(_policy text, _client text, _resets_at timestamptz, _quota int)
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
