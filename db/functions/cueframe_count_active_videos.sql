-- version: 1
-- Keeps owners.active_videos right as videos are inserted, moved between owners or statuses, and deleted;
-- fired by the videos_active_* triggers (0009). Taken over from migration 0009 unchanged.

create or replace function cueframe_count_active_videos() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and cueframe_video_is_active(old.status) then
    -- Never below zero: a count that drifted (a fixture's owner row made after its videos) must not
    -- make a video's own transition fail.
    update owners set active_videos = greatest(active_videos - 1, 0) where id = old.owner_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and cueframe_video_is_active(new.status) then
    update owners set active_videos = active_videos + 1 where id = new.owner_id;
  end if;
  return null;
end
$$;
