// How long steps take: from a task's step_started to its completed event in the same invocation,
// for steps completed in the last 24 hours. Aggregated in SQL; only a few rows per kind come back.
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

export const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300] as const;

export interface StepHistogram {
  kind: string;
  /** Cumulative counts, one per DURATION_BUCKETS boundary (the +Inf bucket is `count`). */
  buckets: { le: number; count: number }[];
  count: number;
  sum: number;
}

export async function stepHistograms(q: Queryable, now: Date, bounds: readonly number[] = DURATION_BUCKETS): Promise<StepHistogram[]> {
  const [buckets, totals] = await Promise.all([
    q.query<{ kind: string; le: number; count: number }>(
      `${STEPS}
       select s.kind, b.le, count(*) filter (where s.seconds <= b.le)::int as count
       from steps s cross join unnest($2::float8[]) as b(le)
       group by s.kind, b.le order by s.kind, b.le`,
      [now, bounds],
    ),
    q.query<{ kind: string; count: number; sum: number }>(
      `${STEPS}
       select kind, count(*)::int as count, coalesce(sum(seconds), 0)::float8 as sum from steps group by kind order by kind`,
      [now],
    ),
  ]);
  return totals.rows.map((t) => ({
    kind: t.kind,
    count: t.count,
    sum: t.sum,
    buckets: buckets.rows.filter((b) => b.kind === t.kind).map((b) => ({ le: b.le, count: b.count })),
  }));
}
