-- version: 1
-- Which video statuses count as in progress, for the owners.active_videos triggers (0009).
-- Taken over from migration 0009 unchanged.

create or replace function cueframe_video_is_active(_status text) returns boolean
language sql immutable parallel safe as $$
  select _status in ('queued', 'planning', 'rendering', 'composing')
$$;
