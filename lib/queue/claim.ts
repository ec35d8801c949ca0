// Where a job is claimed. The claim itself is the SQL function cueframe_claim_task
// (db/functions/cueframe_claim_task.sql): it picks the next ready task, leases it to this invocation
// and logs the claim, in one round trip. Owners take turns (the one served longest ago goes first,
// within priority), so one owner's backlog never starves another's single video. With caps, claims
// take turns under an advisory lock inside the function, which keeps the caps exact under racing
// invocations.
import type { Queryable } from '@/lib/db/types';
import { attr, contextOf, recordSpan, spanClock } from '@/lib/trace';
import type { ClaimedTask } from './types';

export interface ClaimInput {
  invocationId: string;
  now: Date;
  leaseMs: number;
  /** Only kinds whose estimated run fits the invocation's remaining time budget. */
  kinds: readonly string[];
  /** Caps on running tasks, globally and per owner; 0 means no cap. */
  maxRunning: number;
  ownerMaxRunning: number;
}

const CLAIM_SQL = `select id, video_id, kind, scene_index, ref, attempts, max_attempts, priority, locked_until, checkpoint,
  traceparent from cueframe_claim_task($1::timestamptz, $2::text, $3::int, $4::text[], $5::int, $6::int)`;

export async function claimTask(db: Queryable, c: ClaimInput): Promise<ClaimedTask | null> {
  if (c.kinds.length === 0) return null;
  const params = [c.now, c.invocationId, c.leaseMs, c.kinds, c.maxRunning, c.ownerMaxRunning];
  const started = spanClock();
  const task = (await db.query<ClaimedTask>(CLAIM_SQL, params)).rows[0] ?? null;
  // Span `queue.claim`, recorded once the claim says whose task it is: it belongs to that video's trace,
  // under its stored traceparent. A claim that finds nothing belongs to no video and records nothing.
  if (task) {
    recordSpan('queue.claim', {
      [attr.videoId]: task.video_id, [attr.taskId]: task.id, [attr.step]: task.kind, [attr.attempt]: task.attempts,
    }, started, contextOf(task.traceparent));
  }
  return task;
}
