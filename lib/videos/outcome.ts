// A video's final outcome, written once: credits are captured or released, and when the caller
// asked for a callback, exactly one webhook event is created and queued for delivery.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@/lib/db/types';
import { captureCredits, releaseCredits } from '@/lib/owners/credits';
import { enqueueTask } from '@/lib/queue/enqueue';

export type Outcome = 'completed' | 'failed' | 'cancelled';
/** Every event a video's webhook receives (`video.<event>`): its outcomes, and a pause for review. */
export type VideoEvent = Outcome | 'awaiting_review';

/**
 * The task kind that delivers an outcome. It reports on the video rather than makes it, so a video's
 * cancel, failure and retry leave it alone (lib/pipeline/workflow.ts declares it so).
 */
export const OUTCOME_WEBHOOK_KIND = 'webhook' as const;

/**
 * Creates the event (once per video, event and round: the table's unique key) and queues its
 * delivery, when the video has a callback URL. The payload carries the status as of this transaction.
 */
export async function queueWebhook(tx: Queryable, videoId: string, outcome: VideoEvent, now: Date, attempts: number): Promise<void> {
  const r = await tx.query<{ id: string }>(
    `insert into webhook_events (id, video_id, outcome, round, url, payload, created_at)
     select $2::uuid, v.id, $3::text, v.retry_round, v.callback_url,
            jsonb_build_object('id', $2::uuid, 'type', 'video.' || $3::text, 'createdAt', $4::timestamptz,
                               'videoId', v.id, 'status', v.status, 'round', v.retry_round, 'metadata', v.metadata,
                               'error', case when v.error_code is null then null
                                        else jsonb_build_object('code', v.error_code, 'message', v.error_message) end),
            $4::timestamptz
     from videos v where v.id = $1::uuid and v.callback_url is not null
     on conflict (video_id, outcome, round) do nothing
     returning id`,
    [videoId, randomUUID(), outcome, now],
  );
  const event = r.rows[0];
  if (event) await enqueueTask(tx, { videoId, kind: OUTCOME_WEBHOOK_KIND, ref: event.id, maxAttempts: attempts, now });
}

export async function settleCompleted(tx: Queryable, videoId: string, now: Date, webhookAttempts: number): Promise<void> {
  await captureCredits(tx, videoId, now);
  await queueWebhook(tx, videoId, 'completed', now, webhookAttempts);
}

/** Call only when this transaction moved the video to failed or cancelled. */
export async function settleStopped(tx: Queryable, videoId: string, outcome: 'failed' | 'cancelled', now: Date, webhookAttempts: number): Promise<void> {
  await releaseCredits(tx, videoId, now);
  await queueWebhook(tx, videoId, outcome, now, webhookAttempts);
}
