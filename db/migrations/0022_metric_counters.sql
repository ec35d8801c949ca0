-- Running totals behind /api/metrics' counters and step-duration histograms. Each is bumped by the
-- statement that writes the event it counts, in that event's transaction, so a rolled-back event
-- leaves its count unchanged and a scrape reads a few rows instead of scanning task_events.
--
-- Concurrent completions would otherwise all wait on one row per counter until they commit, so a
-- counter is kept in a few shards (the writer picks one from the task id) and summed at scrape.
-- A histogram is kept as one non-cumulative count per bucket (label `le` is the bucket's upper bound)
-- plus its sum in microseconds; the scrape turns the buckets cumulative.
create table metric_counters (
  name text not null,
  labels jsonb not null default '{}',
  shard smallint not null default 0,
  value bigint not null default 0,
  primary key (name, labels, shard)
);

-- Totals start from the history already logged, so an upgrade does not reset them to 0.
insert into metric_counters (name, labels, value)
select case e.type when 'completed' then 'tasks_completed' when 'retried' then 'tasks_retried'
                   when 'failed' then 'tasks_failed' else 'leases_expired' end,
       jsonb_build_object('kind', coalesce(t.kind, 'unknown')), count(*)
from task_events e left join tasks t on t.id = e.task_id
where e.type in ('completed', 'retried', 'failed', 'lease_expired')
group by 1, 2;

with steps as (
  select coalesce(t.kind, 'unknown') as kind, greatest(0, extract(epoch from (c.at - s.at)))::float8 as seconds
  from task_events c
  cross join lateral (
    select s.at from task_events s
    where s.task_id = c.task_id and s.invocation_id = c.invocation_id and s.type = 'step_started' and s.id < c.id
    order by s.id desc limit 1
  ) s
  left join tasks t on t.id = c.task_id
  where c.type = 'completed'
)
insert into metric_counters (name, labels, value)
select 'step_duration_bucket', jsonb_build_object('kind', kind, 'le',
         coalesce((select min(b)::text from unnest(array[0.5, 1, 2, 5, 10, 30, 60, 120, 300]::float8[]) b where seconds <= b), '+Inf')),
       count(*)
from steps group by 1, 2
union all
select 'step_duration_sum_us', jsonb_build_object('kind', kind), round(sum(seconds) * 1e6)::bigint from steps group by 1, 2;

insert into metric_counters (name, labels, value)
select 'credits_captured', '{}'::jsonb, coalesce(sum(-r.amount), 0)
from credit_ledger c join credit_ledger r on r.video_id = c.video_id and r.round = c.round and r.kind = 'reserve'
where c.kind = 'capture';
