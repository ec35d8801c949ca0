-- 0014: admin sessions live on the server, so signing out ends a session for good. The cookie still
-- carries an HMAC over the session id, its expiry and ADMIN_TOKEN (rotating the token or SIGNING_SECRET
-- ends every session); this row is what a sign-out ends.
create table admin_sessions (
  id uuid primary key,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz
);
