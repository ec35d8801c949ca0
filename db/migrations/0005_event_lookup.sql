-- 0005: the admin overview and /api/metrics read the event log by type over recent time windows.
create index task_events_type_at on task_events (type, at);
