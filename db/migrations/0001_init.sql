-- 0001: videos, scenes, the task queue and its append-only event log.
-- Released migrations are never edited; changes go in a new numbered file.

create table videos (
  id uuid primary key,
  owner_id text not null,
  idempotency_key text,
  request_hash text not null,
  topic text not null,
  description text,
  scene_count int not null check (scene_count between 1 and 12),
  aspect_ratio text not null,
  resolution text not null,
  provider text not null default 'local',
  status text not null default 'queued'
    check (status in ('queued', 'planning', 'rendering', 'composing', 'completed', 'failed', 'cancelled')),
  progress int not null default 0 check (progress between 0 and 100),
  step_label text not null default 'Waiting in the queue',
  current_scene int,
  duration_ms int,
  video_key text,
  poster_key text,
  captions_key text,
  error_code text,
  error_message text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (owner_id, idempotency_key)
);

create index videos_owner_created on videos (owner_id, created_at desc, id desc);

create table scenes (
  video_id uuid not null references videos (id) on delete cascade,
  index int not null check (index >= 0),
  narration text not null,
  visual_prompt text not null,
  duration_ms int,
  status text not null default 'pending' check (status in ('pending', 'rendering', 'rendered', 'failed')),
  clip_key text,
  error text,
  updated_at timestamptz not null default now(),
  primary key (video_id, index)
);

create table tasks (
  id bigint generated always as identity primary key,
  video_id uuid not null references videos (id) on delete cascade,
  kind text not null check (kind in ('plan', 'render', 'compose')),
  scene_index int,
  status text not null default 'ready' check (status in ('ready', 'running', 'done', 'dead', 'cancelled')),
  priority int not null default 0,
  run_at timestamptz not null default now(),
  attempts int not null default 0,
  max_attempts int not null default 5,
  locked_by text,
  locked_until timestamptz,
  last_error_code text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind = 'render' or scene_index is null),
  check (kind <> 'render' or scene_index is not null)
);

-- One task per step of a video: fan-out and fan-in insert with "on conflict do nothing",
-- so a doubled completion can never enqueue a second compose.
create unique index tasks_one_per_step on tasks (video_id, kind, coalesce(scene_index, -1));
-- The claim reads only this index: ready rows in claim order.
create index tasks_ready on tasks (priority desc, run_at, id) where status = 'ready';
-- The sweep reads only this index: leased rows by expiry.
create index tasks_leased on tasks (locked_until) where status = 'running';

create table task_events (
  id bigint generated always as identity primary key,
  task_id bigint,
  video_id uuid not null,
  type text not null
    check (type in ('enqueued', 'claimed', 'step_started', 'step_finished', 'retried', 'failed', 'completed', 'lease_expired', 'lease_lost')),
  invocation_id text,
  attempt int,
  detail jsonb,
  at timestamptz not null default now()
);

create index task_events_task on task_events (task_id, id);
create index task_events_video on task_events (video_id, id);

create function task_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'task_events is append-only';
end;
$$;

create trigger task_events_no_update before update or delete on task_events
  for each row execute function task_events_append_only();
