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

-- The functions that take, return and admit (cueframe_take_quota, cueframe_return_quota,
-- cueframe_admit_generate) live in db/functions/, applied after the migrations.
