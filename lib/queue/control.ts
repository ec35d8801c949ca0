// Stopping and resuming a video's tasks. Cancelled running tasks keep their lease holder, so the
// holder's next heartbeat sees 'cancelled' and aborts; nothing it does after that can complete.
import type { Queryable } from '@/lib/db/types';

export interface StoppedTask {
  id: string;
  previous: 'ready' | 'running';
  /** What the step had saved (e.g. a remote job id), so the caller can cancel remote work too. */
  checkpoint: Record<string, unknown> | null;
}

/** Cancels a video's unfinished tasks; with `readyOnly`, running ones are left to finish (a pause). */
export async function stopVideoTasks(
  q: Queryable,
  videoId: string,
  now: Date,
  opts: { readyOnly: boolean; reason: string; /** Kinds that are not part of the work being stopped (they report on it). */ keep: readonly string[] },
): Promise<StoppedTask[]> {
  const r = await q.query<StoppedTask>(
    `with stopped as (
       update tasks t
       -- A cancelled step's remote job is cancelled too, so its checkpoint is cleared for a retry.
       set status = 'cancelled', updated_at = $2::timestamptz, checkpoint = case when $3::boolean then t.checkpoint end
       from (select id, status as previous, checkpoint from tasks
             -- The kept kinds report on the video (say, its outcome's delivery); stopping it never stops them.
             where video_id = $1::uuid and kind <> all($5::text[]) and (status = 'ready' or (status = 'running' and not $3::boolean))
             for update) s
       where t.id = s.id
       returning t.id, t.video_id, t.attempts, s.previous, s.checkpoint
     ), logged as (
       insert into task_events (task_id, video_id, type, attempt, detail, at)
       select id, video_id, 'cancelled', attempts, jsonb_build_object('reason', $4::text, 'was', previous), $2::timestamptz
       from stopped
     )
     select id, previous, checkpoint from stopped`,
    [videoId, now, opts.readyOnly, opts.reason, opts.keep],
  );
  return r.rows;
}

/**
 * For a deleted video: its waiting and dead tasks, webhook deliveries included, are cancelled (and
 * logged), so nothing of it runs again or lingers in the dead counts. Running tasks are left alone;
 * the caller refuses to delete while there are any.
 */
export async function dropVideoTasks(q: Queryable, videoId: string, now: Date, reason: string): Promise<number> {
  const r = await q.query<{ n: number }>(
    `with dropped as (
       update tasks set status = 'cancelled', updated_at = $2::timestamptz
       where video_id = $1::uuid and status in ('ready', 'dead')
       returning id, video_id, attempts
     ), logged as (
       insert into task_events (task_id, video_id, type, attempt, detail, at)
       select id, video_id, 'cancelled', attempts, jsonb_build_object('reason', $3::text), $2::timestamptz from dropped
     )
     select count(*)::int as n from dropped`,
    [videoId, now, reason],
  );
  return r.rows[0]?.n ?? 0;
}

export interface RequeuedTask {
  id: string;
  kind: string;
  scene_index: number | null;
}

/** Puts a video's dead and cancelled tasks back in the queue with fresh attempts; done tasks stay done. */
export async function requeueVideoTasks(q: Queryable, videoId: string, now: Date, keep: readonly string[]): Promise<RequeuedTask[]> {
  const r = await q.query<RequeuedTask>(
    `with requeued as (
       update tasks
       set status = 'ready', attempts = 0, run_at = $2::timestamptz, locked_by = null, locked_until = null,
           last_error_code = null, last_error = null, updated_at = $2::timestamptz
       where video_id = $1::uuid and status in ('dead', 'cancelled') and kind <> all($3::text[])
       returning id, video_id, owner_id, kind, scene_index
     ), rotation as (
       -- Cleanup may have pruned an owner with nothing left to run (lib/queue/owners.ts).
       insert into queue_owners (owner_id) select distinct owner_id from requeued on conflict do nothing
     ), logged as (
       insert into task_events (task_id, video_id, type, at)
       select id, video_id, 'requeued', $2::timestamptz from requeued
     )
     select id, kind, scene_index from requeued`,
    [videoId, now, keep],
  );
  return r.rows;
}
