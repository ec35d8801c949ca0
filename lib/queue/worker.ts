// One invocation's work: recover stale leases, claim one task, run its step under a heartbeat,
// and record the outcome. Everything it touches is injected, so tests drive it with a fake clock.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '@/lib/db/types';
import { errorFields, log } from '@/lib/log';
import type { StepContext, StepHandler } from '@/lib/pipeline/context';
import { BudgetExceededError, classify, isLeaseLost } from '@/lib/pipeline/errors';
import { markSceneFailed, markVideoFailed } from '@/lib/pipeline/video-state';
import type { VideoProvider } from '@/lib/providers/types';
import type { Storage } from '@/lib/storage/types';
import type { BackoffPolicy } from './backoff';
import { claimTask } from './claim';
import { completeTask } from './complete';
import { appendEvent } from './events';
import { failTask } from './fail';
import { startHeartbeat } from './heartbeat';
import { releaseExpiredLeases } from './lease';
import type { ClaimedTask, TaskKind } from './types';

export interface WorkerDeps {
  db: Db;
  storage: Storage;
  provider: VideoProvider;
  handlers: Record<TaskKind, StepHandler>;
  now: () => Date;
  leaseMs: number;
  heartbeatMs: number;
  backoff: BackoffPolicy;
}

export interface InvocationOptions {
  invocationId: string;
  /** Epoch ms after which the step is aborted and its task handed back. */
  deadline?: number;
  signal?: AbortSignal;
}

export type TaskOutcome = 'completed' | 'retrying' | 'dead' | 'lease_lost';

export interface ProcessedTask {
  taskId: string;
  videoId: string;
  step: TaskKind;
  sceneIndex: number | null;
  attempt: number;
  outcome: TaskOutcome;
  ms: number;
}

export async function processOne(deps: WorkerDeps, opts: InvocationOptions): Promise<ProcessedTask | null> {
  await releaseExpiredLeases(deps.db, deps.now());
  const task = await claimTask(deps.db, { invocationId: opts.invocationId, now: deps.now(), leaseMs: deps.leaseMs });
  if (!task) return null;
  const started = Date.now();
  const outcome = await runClaimed(deps, opts, task);
  return {
    taskId: task.id,
    videoId: task.video_id,
    step: task.kind,
    sceneIndex: task.scene_index,
    attempt: task.attempts,
    outcome,
    ms: Date.now() - started,
  };
}

async function runClaimed(deps: WorkerDeps, opts: InvocationOptions, task: ClaimedTask): Promise<TaskOutcome> {
  const { db, now } = deps;
  const ids = { taskId: task.id, videoId: task.video_id, invocationId: opts.invocationId, attempt: task.attempts };
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const budgetTimer = opts.deadline
    ? setTimeout(() => abort.abort(new BudgetExceededError()), Math.max(0, opts.deadline - Date.now()))
    : undefined;
  const stopHeartbeat = startHeartbeat(db, {
    taskId: task.id, invocationId: opts.invocationId, leaseMs: deps.leaseMs, intervalMs: deps.heartbeatMs, now,
    onLost: (reason) => abort.abort(reason),
  });
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), `cueframe-${task.kind}-`));
  try {
    await appendEvent(db, { ...ids, type: 'step_started', at: now(), detail: { step: task.kind, scene: task.scene_index } });
    const ctx: StepContext = { db, storage: deps.storage, provider: deps.provider, now, signal: abort.signal, workDir };
    const finish = await deps.handlers[task.kind](task, ctx);
    abort.signal.throwIfAborted();
    await appendEvent(db, { ...ids, type: 'step_finished', at: now() });
    const committed = await db.transaction(async (tx) => {
      const at = now();
      if (!(await completeTask(tx, { taskId: task.id, invocationId: opts.invocationId, now: at }))) return false;
      await finish(tx, at);
      await appendEvent(tx, { ...ids, type: 'completed', at });
      return true;
    });
    if (!committed) {
      await appendEvent(db, { ...ids, type: 'lease_lost', at: now() });
      return 'lease_lost';
    }
    return 'completed';
  } catch (err) {
    const reason = abort.signal.aborted ? abort.signal.reason : err;
    if (isLeaseLost(reason)) {
      await appendEvent(db, { ...ids, type: 'lease_lost', at: now() });
      return 'lease_lost';
    }
    return recordFailure(deps, opts, task, reason);
  } finally {
    clearTimeout(budgetTimer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await stopHeartbeat();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function recordFailure(deps: WorkerDeps, opts: InvocationOptions, task: ClaimedTask, err: unknown): Promise<TaskOutcome> {
  const c = classify(err);
  log.warn('step failed', { taskId: task.id, videoId: task.video_id, step: task.kind, code: c.code, ...errorFields(err) });
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const result = await failTask(tx, {
      taskId: task.id, invocationId: opts.invocationId, now: at, code: c.code, message: c.message,
      permanent: c.permanent, backoff: deps.backoff,
    });
    const ids = { taskId: task.id, videoId: task.video_id, invocationId: opts.invocationId, attempt: task.attempts, at };
    if (!result) {
      await appendEvent(tx, { ...ids, type: 'lease_lost' });
      return 'lease_lost';
    }
    if (result.status === 'ready') {
      await appendEvent(tx, { ...ids, type: 'retried', detail: { code: c.code, message: c.message, runAt: result.run_at } });
      return 'retrying';
    }
    await appendEvent(tx, { ...ids, type: 'failed', detail: { code: c.code, message: c.message } });
    if (task.kind === 'render' && task.scene_index !== null) {
      await markSceneFailed(tx, task.video_id, task.scene_index, c.message, at);
    }
    await markVideoFailed(tx, task.video_id, c.code, c.message, at);
    return 'dead';
  });
}
