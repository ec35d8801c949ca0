// What the queue holds right now: tasks by state and kind, the longest wait, and the leases held.
import type { Queryable } from '@/lib/db/types';
import type { OldestReady, RunningTask, TaskState } from './types';

export interface StateKindCount {
  state: TaskState;
  kind: string;
  count: number;
}

export async function tasksByStateAndKind(q: Queryable): Promise<StateKindCount[]> {
  const r = await q.query<StateKindCount>(
    'select status as state, kind, count(*)::int as count from tasks group by status, kind order by status, kind',
  );
  return r.rows;
}

export async function oldestReady(q: Queryable, now: Date): Promise<OldestReady | null> {
  const r = await q.query<{ id: string; video_id: string; kind: string; age_seconds: number }>(
    `select id, video_id, kind, extract(epoch from ($1::timestamptz - run_at))::float8 as age_seconds
     from tasks where status = 'ready' and run_at <= $1::timestamptz
     order by run_at, id limit 1`,
    [now],
  );
  const row = r.rows[0];
  return row ? { taskId: row.id, videoId: row.video_id, kind: row.kind, ageSeconds: row.age_seconds } : null;
}

export async function leaseCounts(q: Queryable, now: Date): Promise<{ active: number; expired: number }> {
  const r = await q.query<{ active: number; expired: number }>(
    `select count(*) filter (where locked_until > $1::timestamptz)::int as active,
            count(*) filter (where locked_until is null or locked_until <= $1::timestamptz)::int as expired
     from tasks where status = 'running'`,
    [now],
  );
  return r.rows[0] ?? { active: 0, expired: 0 };
}

interface RunningRow {
  id: string;
  video_id: string;
  kind: string;
  scene_index: number | null;
  attempts: number;
  locked_by: string | null;
  claimed_at: Date;
  lease_age_seconds: number;
  expires_in_seconds: number;
}

/** Running tasks, longest-held first. The lease age counts from the claim by the current holder. */
export async function runningTasks(q: Queryable, now: Date, limit = 100): Promise<RunningTask[]> {
  const r = await q.query<RunningRow>(
    `select t.id, t.video_id, t.kind, t.scene_index, t.attempts, t.locked_by,
            coalesce(c.at, t.updated_at) as claimed_at,
            extract(epoch from ($1::timestamptz - coalesce(c.at, t.updated_at)))::float8 as lease_age_seconds,
            coalesce(extract(epoch from (t.locked_until - $1::timestamptz))::float8, 0) as expires_in_seconds
     from tasks t
     left join lateral (
       select e.at from task_events e
       where e.task_id = t.id and e.type = 'claimed' and e.invocation_id = t.locked_by
       order by e.id desc limit 1
     ) c on true
     where t.status = 'running'
     order by coalesce(c.at, t.updated_at), t.id
     limit $2::int`,
    [now, limit],
  );
  return r.rows.map((row) => ({
    id: row.id,
    videoId: row.video_id,
    kind: row.kind,
    sceneIndex: row.scene_index,
    attempt: row.attempts,
    invocationId: row.locked_by,
    claimedAt: new Date(row.claimed_at).toISOString(),
    leaseAgeSeconds: row.lease_age_seconds,
    leaseExpiresInSeconds: row.expires_in_seconds,
  }));
}
