// How long steps take: from a task's step_started to its completed event in the same invocation,
// for steps completed in the last 24 hours (the overview's percentiles; /api/metrics' histograms are
// running totals, see lib/queue/counters.ts). Aggregated in SQL; only a few rows per kind come back.
import type { Queryable } from '@/lib/db/types';
import type { StepStat } from './types';

const STEPS = `with steps as (
  select coalesce(t.kind, s.detail->>'step', 'unknown') as kind,
         extract(epoch from (c.at - s.at))::float8 as seconds
  from task_events c
  join task_events s
    on s.task_id = c.task_id and s.invocation_id = c.invocation_id and s.type = 'step_started' and s.id < c.id
  left join tasks t on t.id = c.task_id
  where c.type = 'completed' and c.at > $1::timestamptz - interval '24 hours' and c.at <= $1::timestamptz
)`;

export async function stepPercentiles(q: Queryable, now: Date): Promise<StepStat[]> {
  const r = await q.query<{ kind: string; count: number; p50: number; p95: number }>(
    `${STEPS}
     select kind, count(*)::int as count,
            percentile_cont(0.5) within group (order by seconds) as p50,
            percentile_cont(0.95) within group (order by seconds) as p95
     from steps group by kind order by kind`,
    [now],
  );
  return r.rows.map((s) => ({ kind: s.kind, count: s.count, p50Seconds: s.p50, p95Seconds: s.p95 }));
}
