// What went wrong lately, and how much finished: dead tasks, failed videos, and hourly/daily counts;
// and what waits on its owners: videos awaiting review.
import type { Queryable } from '@/lib/db/types';
import type { AdminOverview, DeadTask, FailedVideo, Throughput } from './types';

const iso = (d: Date | string): string => new Date(d).toISOString();

export async function deadTasks(q: Queryable, limit = 50): Promise<{ rows: DeadTask[]; total: number }> {
  const r = await q.query<{
    id: string; video_id: string; kind: string; scene_index: number | null; attempts: number;
    last_error_code: string | null; last_error: string | null; updated_at: Date; total: number;
  }>(
    `select id, video_id, kind, scene_index, attempts, last_error_code, last_error, updated_at,
            count(*) over ()::int as total
     from tasks where status = 'dead'
     order by updated_at desc, id desc limit $1::int`,
    [limit],
  );
  const rows = r.rows.map((t) => ({
    id: t.id, videoId: t.video_id, kind: t.kind, sceneIndex: t.scene_index, attempts: t.attempts,
    errorCode: t.last_error_code, error: t.last_error, at: iso(t.updated_at),
  }));
  return { rows, total: r.rows[0]?.total ?? 0 };
}

export async function failedVideos(q: Queryable, limit = 50): Promise<{ rows: FailedVideo[]; total: number }> {
  const r = await q.query<{
    id: string; topic: string; owner_id: string; error_code: string | null; error_message: string | null;
    failed_at: Date; total: number;
  }>(
    `select id, topic, owner_id, error_code, error_message, coalesce(completed_at, updated_at) as failed_at,
            count(*) over ()::int as total
     from videos where status = 'failed' and deleted_at is null
     order by coalesce(completed_at, updated_at) desc, id limit $1::int`,
    [limit],
  );
  const rows = r.rows.map((v) => ({
    id: v.id, topic: v.topic, ownerId: v.owner_id, errorCode: v.error_code, error: v.error_message, at: iso(v.failed_at),
  }));
  return { rows, total: r.rows[0]?.total ?? 0 };
}

interface WindowRow {
  completed_hour: number;
  failed_hour: number;
  completed_day: number;
  failed_day: number;
}

const toThroughput = (r: WindowRow | undefined): Throughput => ({
  hour: { completed: r?.completed_hour ?? 0, failed: r?.failed_hour ?? 0 },
  day: { completed: r?.completed_day ?? 0, failed: r?.failed_day ?? 0 },
});

/** Tasks that completed, or failed for good (a 'failed' event marks a dead task), in (now − 1 h, now] and (now − 24 h, now]. */
export async function taskThroughput(q: Queryable, now: Date): Promise<Throughput> {
  const r = await q.query<WindowRow>(
    `select count(*) filter (where type = 'completed' and at > $1::timestamptz - interval '1 hour')::int as completed_hour,
            count(*) filter (where type = 'failed' and at > $1::timestamptz - interval '1 hour')::int as failed_hour,
            count(*) filter (where type = 'completed')::int as completed_day,
            count(*) filter (where type = 'failed')::int as failed_day
     from task_events
     where type in ('completed', 'failed') and at > $1::timestamptz - interval '24 hours' and at <= $1::timestamptz`,
    [now],
  );
  return toThroughput(r.rows[0]);
}

/** Videos paused for their owner's review, and how long the oldest has waited. */
export async function awaitingReview(q: Queryable, now: Date): Promise<AdminOverview['awaitingReview']> {
  const r = await q.query<{ count: number; oldest_seconds: number | null }>(
    `select count(*)::int as count,
            floor(extract(epoch from ($1::timestamptz - min(paused_at))))::int as oldest_seconds
     from videos where status = 'awaiting_review' and deleted_at is null`,
    [now],
  );
  return { count: r.rows[0]?.count ?? 0, oldestSeconds: r.rows[0]?.oldest_seconds ?? null };
}

/** Videos that reached completed or failed (by completed_at, set for both) in the same windows. */
export async function videoThroughput(q: Queryable, now: Date): Promise<Throughput> {
  const r = await q.query<WindowRow>(
    `select count(*) filter (where status = 'completed' and completed_at > $1::timestamptz - interval '1 hour')::int as completed_hour,
            count(*) filter (where status = 'failed' and completed_at > $1::timestamptz - interval '1 hour')::int as failed_hour,
            count(*) filter (where status = 'completed')::int as completed_day,
            count(*) filter (where status = 'failed')::int as failed_day
     from videos
     where status in ('completed', 'failed') and completed_at > $1::timestamptz - interval '24 hours'
       and completed_at <= $1::timestamptz`,
    [now],
  );
  return toThroughput(r.rows[0]);
}
