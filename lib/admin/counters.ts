// The running totals of metric_counters as the scrape reads them: shards summed, histograms made
// cumulative. A few dozen rows, whatever the size of task_events.
import type { Queryable } from '@/lib/db/types';
import { COUNTERS, DURATION_BUCKETS } from '@/lib/queue/counters';

export interface CounterRow {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export async function readCounters(q: Queryable): Promise<CounterRow[]> {
  const r = await q.query<CounterRow>('select name, labels, sum(value)::float8 as value from metric_counters group by name, labels');
  return r.rows;
}

/** Sum of counter `name` over the rows whose labels include `match`. */
export function total(rows: CounterRow[], name: string, match: Record<string, string> = {}): number {
  return rows
    .filter((r) => r.name === name && Object.entries(match).every(([k, v]) => r.labels[k] === v))
    .reduce((s, r) => s + r.value, 0);
}

export interface StepHistogram {
  kind: string;
  /** Cumulative counts, one per DURATION_BUCKETS boundary (the +Inf bucket is `count`). */
  buckets: { le: number; count: number }[];
  count: number;
  sum: number;
}

/**
 * One kind's histogram. Each stored bucket row counts durations up to its `le` and above the bound
 * before it, so a boundary counts every row at or below it; a row whose `le` is no longer a boundary
 * still lands in the next one up, and the counts stay cumulative and never fall.
 */
export function stepHistogram(rows: CounterRow[], kind: string, bounds: readonly number[] = DURATION_BUCKETS): StepHistogram {
  const mine = rows.filter((r) => r.name === COUNTERS.stepDurationBucket && r.labels.kind === kind);
  const le = (r: CounterRow) => (r.labels.le === '+Inf' ? Infinity : Number(r.labels.le));
  return {
    kind,
    buckets: bounds.map((b) => ({ le: b, count: mine.filter((r) => le(r) <= b).reduce((s, r) => s + r.value, 0) })),
    count: mine.reduce((s, r) => s + r.value, 0),
    sum: total(rows, COUNTERS.stepDurationSumMicros, { kind }) / 1e6,
  };
}
