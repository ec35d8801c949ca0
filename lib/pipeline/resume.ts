// What a retry of a failed or cancelled video re-enqueues besides its dead and cancelled tasks: a
// fan-in step that never got enqueued although every sibling before it is done (say, every scene
// rendered, then the video was cancelled before the last completion enqueued compose). And a video
// stopped while it waited in a step's pause (a review cancelled or expired before approval) goes back
// into that pause: its fan-out still waits for the owner's approval.
import type { Queryable } from '@/lib/db/types';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { KindPolicy } from '@/lib/queue/registry';
import type { ResumeSteps, Resumed } from '@/lib/videos/control';
import { loadVideo } from './video-state';
import { pausingSteps, stepOf, stepPolicies, taskKinds } from './workflow';

export function resumeSteps(configured: Partial<Record<string, KindPolicy>> = {}): ResumeSteps {
  const policies = stepPolicies(configured);
  return async (tx: Queryable, videoId: string, now: Date, requeued: readonly string[]) => {
    const enqueued: string[] = [];
    for (const kind of taskKinds) {
      const fanIn = stepOf(kind)?.fanIn;
      if (!fanIn || requeued.includes(fanIn.into) || !(await fanIn.resumable(tx, videoId))) continue;
      if (await enqueueTask(tx, { videoId, kind: fanIn.into, maxAttempts: policies[fanIn.into as keyof typeof policies].maxAttempts, now })) {
        enqueued.push(fanIn.into);
      }
    }
    const resumed: Resumed = { kinds: enqueued };
    if (enqueued.length > 0 || requeued.length > 0) return resumed;
    for (const { kind, pause } of pausingSteps) {
      const into = stepOf(kind)?.fanOut?.into;
      // The paused step finished and its fan-out never ran: the video stopped while it waited.
      const r = await tx.query<{ waited: boolean }>(
        `select exists (select 1 from tasks where video_id = $1::uuid and kind = $2::text and status = 'done')
            and not exists (select 1 from tasks where video_id = $1::uuid and kind = $3::text) as waited`,
        [videoId, kind, into ?? null],
      );
      if (r.rows[0]?.waited && pause.when(await loadVideo(tx, videoId))) {
        return { ...resumed, pause: { status: pause.status, label: pause.label, event: pause.event } };
      }
    }
    return resumed;
  };
}
