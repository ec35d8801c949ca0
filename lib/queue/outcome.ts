// Recording a step that did not complete: a retry with backoff, an immediate hand-back when the time
// budget ran out, or a dead task that fails its video (keeping every finished step for a retry).
import type { Queryable } from '@/lib/db/types';
import { errorFields, log } from '@/lib/log';
import { classifyFailure, isBudgetExceeded } from './errors';
import { markSceneFailed, markVideoFailed } from '@/lib/pipeline/video-state';
import { settleStopped } from '@/lib/videos/outcome';
import { stopVideoTasks } from './control';
import { appendEvent } from './events';
import { failTask } from './fail';
import { lockVideoRow } from './lock-order';
import type { ExpiredTask } from './lease';
import type { ClaimedTask } from './types';
import type { TaskOutcome, WorkerDeps } from './worker';

async function failVideo(
  tx: Queryable,
  task: { video_id: string; kind: string; scene_index: number | null },
  code: string,
  message: string,
  at: Date,
  webhookAttempts: number,
): Promise<void> {
  // A failed webhook delivery is its own outcome: it never fails the video it reports on.
  if (task.kind === 'webhook') return;
  // Tasks, then scenes, then the video's status (which writes the owner row): the lock order.
  // Pause the video's queued steps rather than spend on a video that has failed; retry resumes them.
  await stopVideoTasks(tx, task.video_id, at, { readyOnly: true, reason: 'video_failed' });
  if (task.kind === 'render' && task.scene_index !== null) {
    await markSceneFailed(tx, task.video_id, task.scene_index, message, at);
  }
  if (await markVideoFailed(tx, task.video_id, code, message, at)) {
    await settleStopped(tx, task.video_id, 'failed', at, webhookAttempts);
  }
}

export async function recordFailure(deps: WorkerDeps, invocationId: string, task: ClaimedTask, err: unknown): Promise<TaskOutcome> {
  const c = classifyFailure(err);
  const overran = isBudgetExceeded(err);
  log.warn('step failed', { taskId: task.id, videoId: task.video_id, step: task.kind, code: c.code, ...errorFields(err) });
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    await lockVideoRow(tx, task.video_id); // before the task: lock-order.ts
    const result = await failTask(tx, {
      taskId: task.id, invocationId, now: at, code: c.code, message: c.message,
      permanent: c.permanent, immediate: overran, minDelayMs: c.retryAfterMs, backoff: deps.backoff,
    });
    const ids = { taskId: task.id, videoId: task.video_id, invocationId, attempt: task.attempts, at };
    if (!result) {
      await appendEvent(tx, { ...ids, type: 'lease_lost' });
      return 'lease_lost';
    }
    if (result.status === 'ready') {
      await appendEvent(tx, {
        ...ids, type: overran ? 'released' : 'retried',
        detail: { code: c.code, message: c.message, runAt: result.run_at },
      });
      return overran ? 'released' : 'retrying';
    }
    await appendEvent(tx, { ...ids, type: 'failed', detail: { code: c.code, message: c.message } });
    await failVideo(tx, task, c.code, c.message, at, deps.policies.webhook.maxAttempts);
    return 'dead';
  });
}

/** A task whose invocations kept dying (crash, kill, platform timeout) until its attempts ran out. */
export async function recordWorkerLost(deps: WorkerDeps, task: ExpiredTask): Promise<void> {
  const message = `This step stopped responding ${task.attempts} times in a row (the worker crashed or timed out), so it was given up.`;
  await deps.db.transaction(async (tx) => {
    const at = deps.now();
    await lockVideoRow(tx, task.video_id); // lock-order.ts
    await appendEvent(tx, { taskId: task.id, videoId: task.video_id, type: 'failed', attempt: task.attempts, at,
      detail: { code: 'worker_lost', message } });
    await failVideo(tx, task, 'worker_lost', message, at, deps.policies.webhook.maxAttempts);
  });
}
