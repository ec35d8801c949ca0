// What the cancel, retry and delete routes, and an expired review, do to a video and its tasks, each
// in one transaction.
import type { Db, Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { dropVideoTasks, stopVideoTasks, requeueVideoTasks, type StoppedTask } from '@/lib/queue/control';
import { reserveCredits } from '@/lib/owners/credits';
import { lockOwnedVideoRow, lockVideoRow, type LockedVideo } from '@/lib/videos/lock-order';
import { OUTCOME_WEBHOOK_KIND, queueWebhook, settleStopped, type VideoEvent } from './outcome';
import { terminalStatuses, type VideoStatus } from './types';

/** The video row first, as lib/videos/lock-order.ts orders every transaction here. */
async function lockOwned(tx: Queryable, ownerId: string, id: string): Promise<LockedVideo> {
  const v = await lockOwnedVideoRow(tx, ownerId, id);
  if (!v) throw new AppError('not_found', 'No video with this id.');
  return v;
}

/** What a retry resumes besides the requeued tasks (lib/pipeline/resume.ts). */
export interface Resumed {
  /** The kinds it enqueued. */
  kinds: string[];
  /**
   * Set when the video was stopped while paused (a review cancelled or expired before approval):
   * the retry puts it back in the pause, its event sent again, rather than running anything.
   */
  pause?: { status: VideoStatus; label: string; event: VideoEvent };
}

/**
 * What a retry enqueues besides the requeued tasks, as the workflow declares it (lib/pipeline/resume.ts):
 * given the kinds already requeued, returns the kinds it enqueued, or the pause to go back to.
 */
export type ResumeSteps = (tx: Queryable, videoId: string, now: Date, requeued: readonly string[]) => Promise<Resumed>;

export interface ControlResult {
  id: string;
  status: VideoStatus;
}

export async function cancelVideo(
  db: Db,
  ownerId: string,
  id: string,
  now: Date,
  webhookAttempts = 8,
  /**
   * Cancel only if the video is still in this status, as the caller last saw it: a review's Cancel
   * that loses the race to its Approve gets 409 instead of stopping the render just approved.
   */
  ifStatus?: VideoStatus,
): Promise<ControlResult & { stoppedTasks: number; remoteJobs: Record<string, unknown>[]; motion: string }> {
  return db.transaction(async (tx) => {
    const v = await lockOwned(tx, ownerId, id);
    if (v.status === 'completed' || v.status === 'failed' || v.status === 'cancelled') {
      throw new AppError('conflict', `This video is already ${v.status} and cannot be cancelled.`);
    }
    if (ifStatus !== undefined && v.status !== ifStatus) {
      throw new AppError('conflict', `This video is no longer ${ifStatus} (it is ${v.status}), so it was not cancelled.`);
    }
    const stopped = await stopVideo(tx, id, now, { reason: 'cancelled_by_owner', label: 'Cancelled' }, webhookAttempts);
    const motion = (await tx.query<{ motion: string }>('select motion from videos where id = $1::uuid', [id])).rows[0]!.motion;
    const remoteJobs = stopped.map((s) => s.checkpoint).filter((c): c is Record<string, unknown> => c !== null && Object.keys(c).length > 0);
    return { id, status: 'cancelled', stoppedTasks: stopped.length, remoteJobs, motion };
  });
}

/**
 * Cancels a video whose row the caller has locked and found unfinished: its tasks stop, its credits
 * are released and its `cancelled` event is queued. `error` says why, when it was not its owner's choice.
 */
async function stopVideo(
  tx: Queryable, id: string, now: Date,
  why: { reason: string; label: string; error?: { code: string; message: string } },
  webhookAttempts: number,
): Promise<StoppedTask[]> {
  // Tasks, scenes, then the status change that writes the owner row: the lock order.
  const stopped = await stopVideoTasks(tx, id, now, { readyOnly: false, reason: why.reason, keep: [OUTCOME_WEBHOOK_KIND] });
  await tx.query(
    `update scenes set status = 'pending', updated_at = $2::timestamptz where video_id = $1::uuid and status = 'rendering'`,
    [id, now],
  );
  await tx.query(
    `update videos set status = 'cancelled', step_label = $3::text, current_scene = null, paused_at = null,
            error_code = coalesce($4::text, error_code), error_message = coalesce($5::text, error_message),
            completed_at = $2::timestamptz, updated_at = $2::timestamptz
     where id = $1::uuid`,
    [id, now, why.label, why.error?.code ?? null, why.error?.message ?? null],
  );
  await settleStopped(tx, id, 'cancelled', now, webhookAttempts);
  return stopped;
}

/**
 * Reviews left open since before `cutoff` (REVIEW_TTL_HOURS ago) are cancelled and their credits
 * released, each in its own transaction. Returns the ids it cancelled.
 */
export async function expireReviews(db: Db, cutoff: Date, now: Date, webhookAttempts: number): Promise<string[]> {
  const due = await db.query<{ id: string }>(
    `select id from videos where status = 'awaiting_review' and paused_at < $1::timestamptz order by paused_at limit 500`,
    [cutoff],
  );
  const expired: string[] = [];
  for (const { id } of due.rows) {
    if (await expireReview(db, id, cutoff, now, webhookAttempts)) expired.push(id);
  }
  return expired;
}

async function expireReview(db: Db, id: string, cutoff: Date, now: Date, webhookAttempts: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockVideoRow(tx, id);
    // Read again under the lock: an approval or a cancel that got there first has moved it on.
    const still = await tx.query(
      `select 1 from videos where id = $1::uuid and status = 'awaiting_review' and paused_at < $2::timestamptz`,
      [id, cutoff],
    );
    if (still.rowCount === 0) return false;
    await stopVideo(tx, id, now, {
      reason: 'review_expired',
      label: 'Review expired',
      error: { code: 'review_expired', message: 'Nobody approved the scenes in time, so the video was cancelled and its credits returned.' },
    }, webhookAttempts);
    return true;
  });
}

/**
 * Re-queues only what did not finish (dead or cancelled steps); rendered scenes are kept and never
 * redone. A fan-in step whose siblings are all done but that was never enqueued (every scene rendered,
 * no compose) is enqueued by `resume`; a video stopped while paused for review goes back to its review.
 */
export async function retryVideo(
  db: Db,
  ownerId: string,
  id: string,
  now: Date,
  resume: ResumeSteps,
  webhookAttempts = 8,
): Promise<ControlResult & { requeued: { kind: string; sceneIndex: number | null }[]; traceparent: string | null }> {
  return db.transaction(async (tx) => {
    const v = await lockOwned(tx, ownerId, id);
    if (v.status !== 'failed' && v.status !== 'cancelled') {
      throw new AppError('conflict', `Only a failed or cancelled video can be retried; this one is ${v.status}.`);
    }
    const requeued = await requeueVideoTasks(tx, id, now, [OUTCOME_WEBHOOK_KIND]);
    const scenes = (await tx.query<{ total: number; rendered: number }>(
      `select count(*)::int as total, count(*) filter (where status = 'rendered')::int as rendered
       from scenes where video_id = $1::uuid`, [id],
    )).rows[0]!;
    const planned = scenes.total > 0;
    const resumed = await resume(tx, id, now, requeued.map((t) => t.kind));
    for (const kind of resumed.kinds) requeued.push({ id: '', kind, scene_index: null });
    const pause = requeued.length === 0 ? resumed.pause : undefined;
    if (requeued.length === 0 && !pause) throw new AppError('conflict', 'There is nothing left to retry for this video.');
    // Scenes before the owner row that the reservation and the status change write: the lock order.
    await tx.query(
      `update scenes set status = 'pending', error = null, updated_at = $2::timestamptz
       where video_id = $1::uuid and status in ('failed', 'rendering')`,
      [id, now],
    );
    // A new round: its credits are reserved again (the failed round's were released).
    const round = (await tx.query<{ retry_round: number; cost_credits: number; traceparent: string | null }>(
      'update videos set retry_round = retry_round + 1 where id = $1::uuid returning retry_round, cost_credits, traceparent', [id],
    )).rows[0]!;
    await reserveCredits(tx, { ownerId, videoId: id, amount: round.cost_credits, round: round.retry_round, now });
    const status: VideoStatus = pause?.status ?? (planned ? 'rendering' : 'queued');
    await tx.query(
      `update videos
       set status = $2::text, step_label = $4::text, error_code = null, error_message = null,
           completed_at = null, paused_at = case when $5::boolean then $3::timestamptz end, updated_at = $3::timestamptz
       where id = $1::uuid`,
      [id, status, now, pause?.label ?? 'Resuming', pause !== undefined],
    );
    if (pause) await queueWebhook(tx, id, pause.event, now, webhookAttempts);
    // The video's trace, for the kicks that follow (its requeued tasks keep it already).
    return { id, status, requeued: requeued.map((t) => ({ kind: t.kind, sceneIndex: t.scene_index })), traceparent: round.traceparent };
  });
}

/**
 * Hides a finished video from its owner for good (the row stays; see migration 0011) and cancels
 * whatever of it could still run. The caller removes its files once this has committed.
 */
export async function deleteVideo(db: Db, ownerId: string, id: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const v = await lockOwned(tx, ownerId, id);
    if (!terminalStatuses.includes(v.status)) {
      throw new AppError('conflict', `This video is still being made (${v.status}); cancel it first, then delete it.`);
    }
    // Cancelled first, so that no invocation can claim one of them after the check below.
    await dropVideoTasks(tx, id, now, 'video_deleted');
    const running = await tx.query("select 1 from tasks where video_id = $1::uuid and status = 'running' limit 1", [id]);
    if (running.rowCount > 0) {
      throw new AppError('conflict', 'A step of this video is still finishing; try again in a minute.');
    }
    await tx.query('update videos set deleted_at = $2::timestamptz, updated_at = $2::timestamptz where id = $1::uuid', [id, now]);
  });
}

