import type { Queryable } from '@/lib/db/types';

export interface EnqueueInput {
  videoId: string;
  kind: string;
  sceneIndex?: number | null;
  /** Distinguishes several tasks of one kind for a video (a webhook task names its event). */
  ref?: string | null;
  priority?: number;
  maxAttempts: number;
  now: Date;
}

/**
 * Adds one step of a video to the queue, owned by the video's owner. A step that already has a task
 * is left alone, which is what makes fan-out and fan-in safe to repeat: a doubled completion cannot
 * enqueue a second compose. Returns whether a task was created. The task inherits the video's
 * traceparent, so its spans join the trace its video was accepted in (lib/trace.ts).
 */
export async function enqueueTask(q: Queryable, t: EnqueueInput): Promise<boolean> {
  const r = await q.query(
    `with inserted as (
       insert into tasks (video_id, owner_id, kind, scene_index, ref, priority, max_attempts, run_at, created_at, updated_at, traceparent)
       select v.id, v.owner_id, $2::text, $3::int, $7::text, $4::int, $5::int, $6::timestamptz, $6::timestamptz, $6::timestamptz,
              v.traceparent
       from videos v where v.id = $1::uuid
       on conflict (video_id, kind, coalesce(scene_index, -1), coalesce(ref, '')) do nothing
       returning id, video_id, owner_id
     ), owner as (
       insert into queue_owners (owner_id) select owner_id from inserted on conflict do nothing
     )
     insert into task_events (task_id, video_id, type, at)
     select id, video_id, 'enqueued', $6::timestamptz from inserted`,
    [t.videoId, t.kind, t.sceneIndex ?? null, t.priority ?? 0, t.maxAttempts, t.now, t.ref ?? null],
  );
  return r.rowCount > 0;
}
