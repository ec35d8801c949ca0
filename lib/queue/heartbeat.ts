// Keeps a running task's lease alive. If an extension finds the task no longer ours, the step is
// aborted at once so it stops writing; a transient database error just waits for the next beat.
import type { Queryable } from '@/lib/db/types';
import { CancelledError, LeaseLostError } from './errors';
import { errorFields, log } from '@/lib/log';
import { extendLease } from './lease';

export interface HeartbeatInput {
  taskId: string;
  invocationId: string;
  leaseMs: number;
  intervalMs: number;
  now: () => Date;
  /** Called once, when the task is no longer ours to finish. */
  onLost: (reason: LeaseLostError | CancelledError) => void;
}

export function startHeartbeat(q: Queryable, h: HeartbeatInput): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const beat = async () => {
    try {
      const state = await extendLease(q, { taskId: h.taskId, invocationId: h.invocationId, now: h.now(), leaseMs: h.leaseMs });
      if (state !== 'held' && !stopped) h.onLost(state === 'cancelled' ? new CancelledError() : new LeaseLostError());
      if (state !== 'held') stopped = true;
    } catch (err) {
      log.warn('heartbeat failed; will retry', { taskId: h.taskId, ...errorFields(err) });
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = beat().finally(schedule);
    }, h.intervalMs);
    timer.unref?.();
  };
  schedule();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await inFlight;
  };
}
