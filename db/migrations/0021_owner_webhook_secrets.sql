-- 0021: Standard Webhooks. Each owner signs with its own secret, and a caller's metadata travels with
-- its video into every event and the status.

-- Only a random salt per owner is kept here: the whsec_ secret is derived from SIGNING_SECRET, the
-- owner id and the salt (lib/webhooks/secrets.ts), so a copy of the database alone cannot sign.
-- A rotation keeps the salt it replaced; that one signs too until the grace period after rotated_at.
create table owner_webhook_secrets (
  owner_id text primary key references owners (id),
  salt text not null,
  previous_salt text,
  rotated_at timestamptz,
  created_at timestamptz not null,
  check ((previous_salt is null) = (rotated_at is null))
);

-- String values only, at most 4 KB serialised (checked by the request schema); {} when none was given.
alter table videos add column metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object');
