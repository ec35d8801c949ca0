-- version: 1
-- Gives back a unit taken earlier in the same transaction, for a request that was then refused for
-- another reason. A row back at zero is removed, so a refused first request leaves no row at all.
create or replace function cueframe_return_quota(_policy text, _client text, _resets_at timestamptz)
returns void language sql volatile as $$
  delete from client_limits where policy = _policy and client = _client and resets_at = _resets_at and used <= 1;
  update client_limits set used = used - 1 where policy = _policy and client = _client and resets_at = _resets_at and used > 1;
$$;
