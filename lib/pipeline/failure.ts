// What a dead task does to its video, as the workflow declares it (onDeath): the registry's death
// hook, run in the queue's failure transaction after the video row was locked (lib/videos/lock-order.ts).
import type { Queryable } from '@/lib/db/types';
import { stopVideoTasks } from '@/lib/queue/control';
import type { DeadTask, TaskFailure } from '@/lib/queue/registry';
import { settleStopped } from '@/lib/videos/outcome';
import { markSceneFailed, markVideoFailed } from './video-state';
import { detachedKinds, stepOf } from './workflow';

export async function failVideo(tx: Queryable, task: DeadTask, failure: TaskFailure, at: Date, webhookAttempts: number): Promise<void> {
  const death = stepOf(task.kind)?.onDeath ?? 'fail-video';
  if (death === 'none') return;
  // Tasks, then scenes, then the video's status (which writes the owner row): the lock order.
  // Pause the video's queued steps rather than spend on a video that has failed; retry resumes them.
  await stopVideoTasks(tx, task.video_id, at, { readyOnly: true, reason: 'video_failed', keep: detachedKinds });
  if (death === 'fail-scene' && task.scene_index !== null) {
    await markSceneFailed(tx, task.video_id, task.scene_index, failure.message, at);
  }
  if (await markVideoFailed(tx, task.video_id, failure.code, failure.message, at)) {
    await settleStopped(tx, task.video_id, 'failed', at, webhookAttempts);
  }
}
