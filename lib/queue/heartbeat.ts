// Keeps a running task's lease alive. If an extension finds the task no longer ours, the step is
// aborted at once so it stops writing; a transient database error just waits for the next beat.
import type { Queryable } from '@/lib/db/types';
import { LeaseLostError } from '@/lib/pipeline/errors';
import { errorFields, log } from '@/lib/log';
import { extendLease } from './lease';

export interface HeartbeatInput {
  taskId: string;
  invocationId: string;
  leaseMs: number;
  intervalMs: number;
  now: () => Date;
  onLost: (reason: LeaseLostError) => void;
}

export function startHeartbeat(q: Queryable, h: HeartbeatInput): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const beat = async () => {
    try {
      const ok = await extendLease(q, { taskId: h.taskId, invocationId: h.invocationId, now: h.now(), leaseMs: h.leaseMs });
      if (!ok && !stopped) h.onLost(new LeaseLostError());
      if (!ok) stopped = true;
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
