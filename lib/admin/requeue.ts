// Re-queueing dead tasks, for every video or one. A dead pipeline step has failed its video and paused
// the video's other steps, so putting the step back alone would run it for a failed video: the video
// is resumed instead, as its owner's Retry would (dead and paused steps back, finished scenes kept).
// Dead webhook deliveries (the workflow's detached kinds) do not stop a video; they simply go back in the queue. A cancelled video
// stays cancelled: its dead steps are skipped (its owner, or an operator, can still Retry it).
import type { Db, Queryable } from '@/lib/db/types';
import { isAppError } from '@/lib/errors';
import { detachedKinds } from '@/lib/pipeline/workflow';
import type { ResumeSteps } from '@/lib/videos/control';
import { lockVideoRow } from '@/lib/videos/lock-order';
import type { RequeueResult, RequeueVideoResult } from './types';
import { adminRetryVideo } from './videos';

interface Target {
  video_id: string;
  status: string;
  steps: number;
  webhooks: number;
}

async function requeueDeadWebhooks(q: Queryable, videoId: string, now: Date): Promise<number> {
  const r = await q.query<{ n: number }>(
    `with requeued as (
       update tasks
       set status = 'ready', attempts = 0, run_at = $2::timestamptz, locked_by = null, locked_until = null,
           last_error_code = null, last_error = null, updated_at = $2::timestamptz
       where video_id = $1::uuid and status = 'dead' and kind = any($3::text[])
       returning id, video_id, owner_id
     ), rotation as (
       -- Cleanup may have pruned an owner with nothing left to run (lib/queue/owners.ts).
       insert into queue_owners (owner_id) select distinct owner_id from requeued on conflict do nothing
     ), logged as (
       insert into task_events (task_id, video_id, type, detail, at)
       select id, video_id, 'requeued', jsonb_build_object('by', 'admin'), $2::timestamptz from requeued
     )
     select count(*)::int as n from requeued`,
    [videoId, now, detachedKinds],
  );
  return r.rows[0]?.n ?? 0;
}

async function requeueVideo(db: Db, t: Target, now: Date, resume: ResumeSteps): Promise<RequeueVideoResult> {
  const out: RequeueVideoResult = { videoId: t.video_id, requeued: 0, resumed: false, skipped: 0, reason: null };
  if (t.steps > 0 && t.status === 'failed') {
    try {
      out.requeued += (await adminRetryVideo(db, t.video_id, now, resume)).requeued.length;
      out.resumed = true;
    } catch (err) {
      if (!isAppError(err)) throw err;
      out.skipped = t.steps;
      out.reason = err.code; // e.g. it changed state since it was listed
    }
  } else if (t.steps > 0) {
    out.skipped = t.steps;
    out.reason = `video_${t.status}`;
  }
  if (t.webhooks > 0) {
    out.requeued += await db.transaction(async (tx) => {
      await lockVideoRow(tx, t.video_id); // the video before its tasks: lib/videos/lock-order.ts
      return requeueDeadWebhooks(tx, t.video_id, now);
    });
  }
  return out;
}

export async function requeueDeadTasks(
  db: Db,
  opts: { videoId?: string; now: Date; resume: ResumeSteps },
): Promise<RequeueResult> {
  const r = await db.query<Target>(
    `select t.video_id, v.status,
            count(*) filter (where t.kind <> all($2::text[]))::int as steps,
            count(*) filter (where t.kind = any($2::text[]))::int as webhooks
     from tasks t join videos v on v.id = t.video_id
     where t.status = 'dead' and ($1::uuid is null or t.video_id = $1::uuid)
     group by t.video_id, v.status
     order by min(t.updated_at), t.video_id`,
    [opts.videoId ?? null, detachedKinds],
  );
  const videos: RequeueVideoResult[] = [];
  for (const target of r.rows) videos.push(await requeueVideo(db, target, opts.now, opts.resume));
  return {
    requeued: videos.reduce((n, v) => n + v.requeued, 0),
    skipped: videos.reduce((n, v) => n + v.skipped, 0),
    videos,
  };
}
