// What a dead task does to its video: the workflow's death hook, run in the queue's failure transaction
// after the video row was locked (lib/videos/lock-order.ts).
import type { Queryable } from '@/lib/db/types';
import { stopVideoTasks } from '@/lib/queue/control';
import type { DeadTask, TaskFailure } from '@/lib/queue/registry';
import { settleStopped } from '@/lib/videos/outcome';
import { markSceneFailed, markVideoFailed } from './video-state';

export async function failVideo(tx: Queryable, task: DeadTask, failure: TaskFailure, at: Date, webhookAttempts: number): Promise<void> {
  // A failed webhook delivery is its own outcome: it never fails the video it reports on.
  if (task.kind === 'webhook') return;
  // Tasks, then scenes, then the video's status (which writes the owner row): the lock order.
  // Pause the video's queued steps rather than spend on a video that has failed; retry resumes them.
  await stopVideoTasks(tx, task.video_id, at, { readyOnly: true, reason: 'video_failed' });
  if (task.kind === 'render' && task.scene_index !== null) {
    await markSceneFailed(tx, task.video_id, task.scene_index, failure.message, at);
  }
  if (await markVideoFailed(tx, task.video_id, failure.code, failure.message, at)) {
    await settleStopped(tx, task.video_id, 'failed', at, webhookAttempts);
  }
}
