-- 0018: review before rendering. A video asked for with `review` stops after planning in
-- 'awaiting_review' until its owner approves (or cancels, or the review expires). paused_at, written
-- by the workflow's pause, is when it started waiting: what expiry measures from. The owner may be
-- told by a `video.awaiting_review` webhook event. Scene rows remember their stored image, the
-- poster frame of the scene's preview.
alter table videos drop constraint videos_status_check;
alter table videos add constraint videos_status_check
  check (status in ('queued', 'planning', 'awaiting_review', 'rendering', 'composing', 'completed', 'failed', 'cancelled'));
alter table videos add column paused_at timestamptz;
-- Cleanup looks for reviews left open too long; only waiting videos are in this index.
create index videos_paused on videos (paused_at) where status = 'awaiting_review';

alter table webhook_events drop constraint webhook_events_outcome_check;
alter table webhook_events add constraint webhook_events_outcome_check
  check (outcome in ('completed', 'failed', 'cancelled', 'awaiting_review'));

-- Set when the scene is rendered, cleared by cleanup before it removes the image.
alter table scenes add column image_key text;
-- Rendered scenes of videos that did not fail or get cancelled still have their image: a completed
-- video's images go only together with its clips, whose keys cleanup clears first.
update scenes s set image_key = 'videos/' || s.video_id::text || '/scenes/' || s.index::text || '/image.png'
from videos v
where v.id = s.video_id and s.status = 'rendered' and s.clip_key is not null and v.status not in ('failed', 'cancelled');
