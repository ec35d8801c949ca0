-- One trace per video across invocations: the W3C traceparent of the span that accepted the video
-- (null when nothing was traced). The video keeps it so that every task enqueued for it later
-- inherits it; each task carries its own copy so that the claim hands it to the worker in the same row.
alter table videos add column traceparent text;
alter table tasks add column traceparent text;
