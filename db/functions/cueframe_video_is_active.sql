-- version: 2
-- Which video statuses count as in progress, for the owners.active_videos triggers (0009).
-- A video awaiting review is in progress: it holds its reserved credits and a place under the cap.

create or replace function cueframe_video_is_active(_status text) returns boolean
language sql immutable parallel safe as $$
  select _status in ('queued', 'planning', 'awaiting_review', 'rendering', 'composing')
$$;
