-- 0003: per-video generation options, task checkpoints for remote jobs, and the usage/cost ledger.

alter table videos add column motion text not null default 'kenburns';
alter table videos add column voice text not null default 'alloy';
alter table videos add column burn_captions boolean not null default false;

-- A step's small JSON state between attempts, e.g. a remote job id: a retry resumes the job
-- instead of paying for a second one.
alter table tasks add column checkpoint jsonb;

-- What each completed step used. Written in the transaction that completes the step, and unique
-- per step and item, so a doubled completion can never bill twice.
create table usage_items (
  id bigint generated always as identity primary key,
  video_id uuid not null references videos (id) on delete cascade,
  task_id bigint not null,
  item text not null
    check (item in ('llm_input_tokens', 'llm_output_tokens', 'images', 'tts_characters', 'runway_seconds', 'render_seconds')),
  model text not null,
  quantity numeric not null check (quantity >= 0),
  cost_usd numeric(14, 6) not null check (cost_usd >= 0),
  at timestamptz not null default now(),
  unique (task_id, item, model)
);

create index usage_items_video on usage_items (video_id);

alter table task_events drop constraint task_events_type_check;
alter table task_events add constraint task_events_type_check check (type in (
  'enqueued', 'claimed', 'step_started', 'step_finished', 'retried', 'failed', 'completed',
  'lease_expired', 'lease_lost', 'cancelled', 'released', 'requeued', 'waiting'
));
