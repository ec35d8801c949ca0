-- 0011: an owner may delete a finished video. The row stays: the credit ledger, the usage items and
-- the queue's history point at it, and the admin counts and Prometheus totals must never go
-- backwards. deleted_at hides it from its owner (status, list, cancel, retry); its files are removed
-- right after the answer, and cleanup treats a deleted video's files as having no row, so whatever
-- that removal missed goes at the next daily run.
alter table videos add column deleted_at timestamptz;
