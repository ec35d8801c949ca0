-- version: 1
-- The event log is append-only: every update or delete of task_events fails (trigger task_events_no_update, 0001).
-- Taken over from migration 0001 unchanged.

create or replace function task_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'task_events is append-only';
end;
$$;
