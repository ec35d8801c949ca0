// THE LOCK ORDER. Every transaction that changes a video together with its other rows takes its row
// locks in this order, so two of them can wait for each other but never deadlock:
//
//   1. the video row, first of all, with lockVideoRow or lockOwnedVideoRow below;
//   2. that video's task rows;
//   3. that video's scene rows;
//   4. the owner row (balance, active_videos). A status change of a video counts here too: the
//      triggers of migration 0009 update the owner row when a video starts or finishes.
//
// After those, a transaction only inserts (the credit ledger, webhook events, new tasks, the event
// log). It never locks a second video. Accepting a request (0009's cueframe_accept_videos) locks
// owner rows first, but only creates videos then, which nobody else can hold yet.
//
// The transactions that follow it: a step's completion and its failure (lib/queue/worker.ts,
// outcome.ts, which take the first lock through the workflow's lockFirst hook, lib/pipeline/worker.ts),
// a crashed step given up (the same hook, then lib/pipeline/failure.ts), cancel, retry and delete by owner or operator
// (lib/videos/control.ts, lib/admin/videos.ts), a review's approval, scene edits and expiry (lib/pipeline/pause.ts,
// lib/videos/scenes.ts, expireReviews in lib/videos/control.ts), requeueing dead webhooks (lib/admin/requeue.ts), and
// the outcome settled at the end (lib/videos/outcome.ts, inside completion, failure or cancel).
// Statements that run on their own (claim, sweep, heartbeat, checkpoint, a step's progress writes)
// lock one task or one row, or skip what is locked, so they cannot close a cycle.
//
// The video is locked `for no key update`, the same lock an update of it takes: it excludes every
// other writer of the video but not the key-share lock that inserting a row which references the
// video takes, so recording usage or enqueueing never waits on it.
//
// Should a deadlock or a serialization failure still happen, the transaction is retried whole
// (lib/db/retry.ts).
import type { Queryable } from '@/lib/db/types';
import type { VideoStatus } from './types';

export interface LockedVideo {
  status: VideoStatus;
}

/** Step 1 of the lock order for the pipeline; null if there is no such video. */
export async function lockVideoRow(q: Queryable, id: string): Promise<LockedVideo | null> {
  const r = await q.query<LockedVideo>('select status from videos where id = $1::uuid for no key update', [id]);
  return r.rows[0] ?? null;
}

/** Step 1 of the lock order for an owner's action: null if there is no such video, it is another owner's, or it is deleted. */
export async function lockOwnedVideoRow(q: Queryable, ownerId: string, id: string): Promise<LockedVideo | null> {
  const r = await q.query<LockedVideo>(
    'select status from videos where id = $1::uuid and owner_id = $2::text and deleted_at is null for no key update',
    [id, ownerId],
  );
  return r.rows[0] ?? null;
}
