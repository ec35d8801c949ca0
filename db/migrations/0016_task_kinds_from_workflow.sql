-- Task kinds are declared once, in lib/pipeline/workflow.ts. The queue claims only the kinds its
-- caller's registry lists, so a row of any other kind is never run; the table stops restating them.
-- (The two checks that tie scene_index to 'render' stay: they guard the one per-scene kind.)
alter table tasks drop constraint if exists tasks_kind_check;
