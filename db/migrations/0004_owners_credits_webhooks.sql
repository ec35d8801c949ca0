-- 0004: owners with credit balances and priority tiers, an append-only credit ledger, API tokens,
-- webhook events delivered as queue tasks, and an audit event type for operator actions.

create table owners (
  id text primary key,
  balance int not null check (balance >= 0),
  tier text not null default 'standard' check (tier in ('standard', 'premium')),
  created_at timestamptz not null default now()
);

-- Every movement of credits. reserve/capture/release are unique per video, so a doubled outcome
-- can never move credits twice.
create table credit_ledger (
  id bigint generated always as identity primary key,
  owner_id text not null references owners (id),
  video_id uuid,
  kind text not null check (kind in ('grant', 'reserve', 'capture', 'release', 'adjust')),
  -- A retried video reserves again: each retry round moves its credits once.
  round int not null default 0,
  amount int not null,
  balance_after int not null,
  note text,
  at timestamptz not null default now()
);
create unique index credit_ledger_once_per_video on credit_ledger (video_id, kind, round) where kind in ('reserve', 'capture', 'release');
create index credit_ledger_owner on credit_ledger (owner_id, id desc);

create function credit_ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'credit_ledger is append-only';
end;
$$;
create trigger credit_ledger_no_update before update or delete on credit_ledger
  for each row execute function credit_ledger_append_only();

create table api_tokens (
  id uuid primary key,
  owner_id text not null references owners (id),
  name text not null,
  -- sha256 of the token; the token itself is shown once and never stored.
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

alter table videos add column cost_credits int not null default 0;
alter table videos add column callback_url text;

-- One event per outcome of a video. Its id is the id receivers see on every delivery attempt.
create table webhook_events (
  id uuid primary key,
  video_id uuid not null references videos (id) on delete cascade,
  outcome text not null check (outcome in ('completed', 'failed', 'cancelled')),
  -- A retried video can fail, then complete: each outcome once per round.
  round int not null,
  url text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  last_status int,
  unique (video_id, outcome, round)
);

-- Webhook deliveries are tasks too; `ref` names the event, so a video can have several.
alter table tasks add column ref text;
alter table tasks drop constraint tasks_kind_check;
alter table tasks add constraint tasks_kind_check check (kind in ('plan', 'render', 'compose', 'webhook'));
drop index tasks_one_per_step;
create unique index tasks_one_per_step on tasks (video_id, kind, coalesce(scene_index, -1), coalesce(ref, ''));

alter table videos add column retry_round int not null default 0;

alter table task_events drop constraint task_events_type_check;
alter table task_events add constraint task_events_type_check check (type in (
  'enqueued', 'claimed', 'step_started', 'step_finished', 'retried', 'failed', 'completed',
  'lease_expired', 'lease_lost', 'cancelled', 'released', 'requeued', 'waiting', 'admin_action'
));
