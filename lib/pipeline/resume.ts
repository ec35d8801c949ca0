// What a retry of a failed or cancelled video re-enqueues besides its dead and cancelled tasks: a
// fan-in step that never got enqueued although every sibling before it is done (say, every scene
// rendered, then the video was cancelled before the last completion enqueued compose).
import type { Queryable } from '@/lib/db/types';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { KindPolicy } from '@/lib/queue/registry';
import type { ResumeSteps } from '@/lib/videos/control';
import { stepOf, stepPolicies, taskKinds } from './workflow';

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
    return enqueued;
  };
}
