// The append-only task log: the record that proves each task ran exactly once.
import { prepared } from '@/lib/db/prepared';
import type { Queryable } from '@/lib/db/types';
import { ADD_TO_COUNTERS, COUNTERS, DURATION_BUCKETS, shardOf } from './counters';
import type { TaskEventType } from './types';

export interface TaskEventInput {
  taskId: string | null;
  videoId: string;
  type: TaskEventType;
  invocationId?: string | null;
  attempt?: number | null;
  detail?: Record<string, unknown> | null;
  at: Date;
}

const INSERT = `insert into task_events (task_id, video_id, type, invocation_id, attempt, detail, at)
  values ($1::bigint, $2::uuid, $3::text, $4::text, $5::int, $6::jsonb, $7::timestamptz)`;

/** Events that are also running totals, and the counter each one adds 1 to (labelled by task kind). */
const COUNTED: Partial<Record<TaskEventType, string>> = {
  completed: COUNTERS.tasksCompleted,
  retried: COUNTERS.tasksRetried,
  failed: COUNTERS.tasksFailed,
};

// The event and its counters in one statement, so they commit (or roll back) together. A completion
// also files its step's duration (step_started to completed in the same invocation, as the admin
// percentiles measure it) into the histogram: one bucket row and the sum.
const INSERT_COUNTED = `with e as (
    ${INSERT}
    returning id, task_id, invocation_id, type, at
  ), k as (
    select e.*, coalesce(t.kind, 'unknown') as kind, ${shardOf('e.task_id')} as shard
    from e left join tasks t on t.id = e.task_id
  ), d as (
    select k.kind, k.shard, greatest(0, extract(epoch from (k.at - s.at)))::float8 as seconds
    from k cross join lateral (
      select s.at from task_events s
      where s.task_id = k.task_id and s.invocation_id = k.invocation_id and s.type = 'step_started' and s.id < k.id
      order by s.id desc limit 1
    ) s
    where k.type = 'completed'
  ), bumps (name, labels, shard, value) as (
    select $8::text, jsonb_build_object('kind', kind), shard, 1::bigint from k
    union all
    select '${COUNTERS.stepDurationBucket}', jsonb_build_object('kind', kind, 'le',
             coalesce((select min(b)::text from unnest($9::float8[]) b where d.seconds <= b), '+Inf')), shard, 1::bigint
    from d
    union all
    select '${COUNTERS.stepDurationSumMicros}', jsonb_build_object('kind', kind), shard, round(d.seconds * 1e6)::bigint from d
  )
  ${ADD_TO_COUNTERS}`;

// Prepared: on the completion's hot path, its plan is made once per connection, not on every event.
const COUNTED_STATEMENT = prepared('task_event_counted', INSERT_COUNTED);

export async function appendEvent(q: Queryable, e: TaskEventInput): Promise<void> {
  const values = [e.taskId, e.videoId, e.type, e.invocationId ?? null, e.attempt ?? null, e.detail ? JSON.stringify(e.detail) : null, e.at];
  const counter = COUNTED[e.type];
  if (counter === undefined) await q.query(INSERT, values);
  else await q.query(COUNTED_STATEMENT, [...values, counter, DURATION_BUCKETS]);
}
