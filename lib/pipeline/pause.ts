// The workflow's fan-out and its pauses, applied the same way for every step that declares them
// (lib/pipeline/workflow.ts). A step's fan-out runs in its completion transaction, unless the step
// paused the video: then it runs in the transaction that approves it. Both hold the video row
// (lib/videos/lock-order.ts), and enqueueing is idempotent, so neither can fan out twice.
import type { Db, Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { KindPolicy } from '@/lib/queue/registry';
import { lockOwnedVideoRow } from '@/lib/videos/lock-order';
import { OUTCOME_WEBHOOK_KIND, queueWebhook } from '@/lib/videos/outcome';
import type { VideoStatus } from '@/lib/videos/types';
import { loadVideo } from './video-state';
import { pausingSteps, stepOf, type PauseDeclaration, type StepDeclaration, type TaskKind } from './workflow';

type Policies = Readonly<Record<TaskKind, KindPolicy>>;

/** Enqueues one `into` task per item of the step's fan-out; returns how many it created. */
export async function fanOut(
  tx: Queryable, step: StepDeclaration, videoId: string, priority: number, now: Date, policies: Policies,
): Promise<number> {
  if (!step.fanOut) return 0;
  const into = step.fanOut.into;
  let created = 0;
  for (const index of await step.fanOut.items(tx, videoId)) {
    if (await enqueueTask(tx, { videoId, kind: into, sceneIndex: index, priority, maxAttempts: policies[into as TaskKind].maxAttempts, now })) {
      created += 1;
    }
  }
  return created;
}

/**
 * After a step's own writes, with the video row locked: if the step declares a pause and this video
 * takes it, the video waits in the pause's status (only if the step moved it on, so a video cancelled
 * meanwhile stays cancelled) and the pause's webhook event is queued. True when the video paused.
 */
export async function enterPause(
  tx: Queryable, pause: PauseDeclaration | undefined, videoId: string, now: Date, policies: Policies,
): Promise<boolean> {
  if (!pause || !pause.when(await loadVideo(tx, videoId))) return false;
  const r = await tx.query(
    `update videos set status = $3::text, step_label = $4::text, current_scene = null,
            paused_at = $5::timestamptz, updated_at = $5::timestamptz
     where id = $1::uuid and status = $2::text`,
    [videoId, pause.after, pause.status, pause.label, now],
  );
  if (r.rowCount !== 1) return false;
  await queueWebhook(tx, videoId, pause.event, now, policies[OUTCOME_WEBHOOK_KIND].maxAttempts);
  return true;
}

/** Which declared pause a video in this status is waiting in, if any. */
export function pauseFor(status: VideoStatus): { kind: TaskKind; pause: PauseDeclaration } | undefined {
  return pausingSteps.find((p) => p.pause.status === status);
}

export interface Approved {
  id: string;
  status: VideoStatus;
  /** Tasks the approval enqueued (the fan-out that waited). */
  enqueued: number;
  /** The video's trace, for the kicks that follow. */
  traceparent: string | null;
}

/**
 * The owner approves a paused video: under its row lock, and only while it is still paused (a
 * concurrent cancel, approval or expiry that got the lock first leaves it otherwise: 409), it moves
 * on to the status the step would have left it in, and the step's fan-out runs now.
 */
export async function approveVideo(db: Db, ownerId: string, id: string, now: Date, policies: Policies): Promise<Approved> {
  return db.transaction(async (tx) => {
    const v = await lockOwnedVideoRow(tx, ownerId, id);
    if (!v) throw new AppError('not_found', 'No video with this id.');
    const paused = pauseFor(v.status);
    if (!paused) throw new AppError('conflict', `Only a video awaiting review can be approved; this one is ${v.status}.`);
    const { pause, kind } = paused;
    const { traceparent } = (await tx.query<{ traceparent: string | null }>(
      `update videos set status = $2::text, step_label = $3::text, paused_at = null, updated_at = $4::timestamptz
       where id = $1::uuid returning traceparent`,
      [id, pause.after, pause.resumeLabel, now],
    )).rows[0]!;
    // The paused step's priority, as its fan-out would have had on completion.
    const priority = (await tx.query<{ priority: number }>(
      'select priority from tasks where video_id = $1::uuid and kind = $2::text order by id desc limit 1', [id, kind],
    )).rows[0]?.priority ?? 0;
    const enqueued = await fanOut(tx, stepOf(kind)!, id, priority, now, policies);
    return { id, status: pause.after, enqueued, traceparent };
  });
}
