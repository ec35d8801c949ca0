// Running totals in metric_counters, written by the statements that record the events they count
// (see db/migrations/0022_metric_counters.sql). Values only ever grow, so Prometheus counters and
// histograms built from them never go down, whatever is later deleted or retried.

/** Rows per counter: concurrent writers of one counter spread over this many rows, summed at scrape. */
export const COUNTER_SHARDS = 32;

/** Upper bounds (seconds) of the step-duration histogram's buckets; +Inf is implied. */
export const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300] as const;

/** The metric_counters names, one place, shared by the writers and the scrape. */
export const COUNTERS = {
  tasksCompleted: 'tasks_completed',
  tasksRetried: 'tasks_retried',
  tasksFailed: 'tasks_failed',
  leasesExpired: 'leases_expired',
  stepDurationBucket: 'step_duration_bucket',
  stepDurationSumMicros: 'step_duration_sum_us',
  creditsCaptured: 'credits_captured',
} as const;

/**
 * The upsert that adds to counters. Rows come in key order, so two transactions bumping the same
 * counters lock them in the same order and cannot deadlock on each other.
 */
export const ADD_TO_COUNTERS = `insert into metric_counters (name, labels, shard, value)
  select name, labels, shard, sum(value)::bigint from bumps group by name, labels, shard order by name, labels, shard
  on conflict (name, labels, shard) do update set value = metric_counters.value + excluded.value`;

/** SQL for the shard of a task id given as a bigint expression. */
export const shardOf = (taskIdSql: string) => `(coalesce(${taskIdSql}, 0) % ${COUNTER_SHARDS})::smallint`;
