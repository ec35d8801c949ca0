-- 0010: housekeeping that queue invocations take turns at (lib/queue/upkeep.ts). An invocation runs a
-- job only if it moves the job's last run forward by the job's interval, so across every process the
-- job runs at most once per interval, by whichever invocation comes first.
create table queue_upkeep (
  job text primary key,
  last_run_at timestamptz not null
);
