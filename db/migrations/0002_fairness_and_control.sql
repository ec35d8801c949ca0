-- 0002: owners on tasks (fair claiming and per-owner caps), and event types for cancel, release and retry.

alter table tasks add column owner_id text;
update tasks t set owner_id = v.owner_id from videos v where v.id = t.video_id;
alter table tasks alter column owner_id set not null;

-- The claim visits owners round-robin and takes each owner's best ready task through this index.
create index tasks_owner_ready on tasks (owner_id, priority desc, run_at, id) where status = 'ready';
-- Per-owner caps count an owner's running tasks through this one.
create index tasks_owner_running on tasks (owner_id) where status = 'running';

create table queue_owners (
  owner_id text primary key,
  last_claimed_at timestamptz
);
insert into queue_owners (owner_id) select distinct owner_id from tasks on conflict do nothing;

alter table task_events drop constraint task_events_type_check;
alter table task_events add constraint task_events_type_check check (type in (
  'enqueued', 'claimed', 'step_started', 'step_finished', 'retried', 'failed', 'completed',
  'lease_expired', 'lease_lost', 'cancelled', 'released', 'requeued'
));
