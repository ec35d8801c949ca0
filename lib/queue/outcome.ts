// Recording a task that did not complete: a retry with backoff, an immediate hand-back when the time
// budget ran out, or a dead task, whose consequences are the registry's onDead hook.
import { errorFields, log } from '@/lib/log';
import { classifyFailure, isBudgetExceeded } from './errors';
import { appendEvent } from './events';
import { failTask } from './fail';
import type { ExpiredTask } from './lease';
import type { QueueDeps, TaskOutcome } from './registry';
import type { ClaimedTask } from './types';

export async function recordFailure(deps: QueueDeps, invocationId: string, task: ClaimedTask, err: unknown): Promise<TaskOutcome> {
  const c = classifyFailure(err);
  const overran = isBudgetExceeded(err);
  log.warn('step failed', { taskId: task.id, videoId: task.video_id, step: task.kind, code: c.code, ...errorFields(err) });
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    await deps.registry.lockFirst(tx, task); // before the task: the caller's lock order
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
    await deps.registry.onDead(tx, task, { code: c.code, message: c.message }, at);
    return 'dead';
  });
}

/** A task whose invocations kept dying (crash, kill, platform timeout) until its attempts ran out. */
export async function recordWorkerLost(deps: QueueDeps, task: ExpiredTask): Promise<void> {
  const message = `This step stopped responding ${task.attempts} times in a row (the worker crashed or timed out), so it was given up.`;
  await deps.db.transaction(async (tx) => {
    const at = deps.now();
    await deps.registry.lockFirst(tx, task);
    await appendEvent(tx, { taskId: task.id, videoId: task.video_id, type: 'failed', attempt: task.attempts, at,
      detail: { code: 'worker_lost', message } });
    await deps.registry.onDead(tx, task, { code: 'worker_lost', message }, at);
  });
}
