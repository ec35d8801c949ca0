// One invocation's work: recover stale leases, prune the claim's rotation when it is this
// invocation's turn, claim one task that fits the time left, run its step under a heartbeat, and
// record the outcome. Everything it touches is injected, so tests drive it with their own clock,
// providers and step handlers.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { activeSpan, attr, contextOf, recordError, withSpan } from '@/lib/trace';
import { deferTask, taskCheckpoint } from './checkpoint';
import { claimTask } from './claim';
import { completeTask } from './complete';
import { BudgetExceededError, isCancelled, isLeaseLost, isStepPending } from './errors';
import { appendEvent } from './events';
import { startHeartbeat } from './heartbeat';
import { releaseExpiredLeases } from './lease';
import { recordFailure, recordWorkerLost } from './outcome';
import type { KindPolicy, ProcessedRun, QueueDeps, RunContext, TaskOutcome } from './registry';
import type { ClaimedTask } from './types';
import { pruneRotationIfDue } from './upkeep';

export type { KindPolicy, ProcessedTask, QueueDeps, TaskOutcome } from './registry';

export interface InvocationOptions {
  invocationId: string;
  /** Epoch ms by which the invocation must be done: later steps are aborted and handed back. */
  deadline?: number;
  signal?: AbortSignal;
}

/** Kinds whose estimated run fits in the time this invocation has left. */
export function kindsThatFit(policies: Readonly<Record<string, KindPolicy>>, deadline: number | undefined, nowMs: number): string[] {
  const kinds = Object.keys(policies);
  if (deadline === undefined) return kinds;
  return kinds.filter((k) => policies[k]!.estimateMs <= deadline - nowMs);
}

export async function processOne(deps: QueueDeps, opts: InvocationOptions): Promise<ProcessedRun | null> {
  const swept = await releaseExpiredLeases(deps.db, deps.now());
  for (const task of swept.filter((t) => t.status === 'dead')) await recordWorkerLost(deps, task);
  await pruneRotationIfDue(deps.db, deps.now());
  const task = await claimTask(deps.db, {
    invocationId: opts.invocationId,
    now: deps.now(),
    leaseMs: deps.leaseMs,
    kinds: kindsThatFit(deps.registry.policies, opts.deadline, Date.now()),
    maxRunning: deps.maxRunning,
    ownerMaxRunning: deps.ownerMaxRunning,
  });
  if (!task) return null;
  const started = Date.now();
  // Span `step.<kind>`, in the trace the task's video was accepted in; provider and ffmpeg spans nest under it.
  const stepAttrs = {
    [attr.videoId]: task.video_id, [attr.taskId]: task.id, [attr.step]: task.kind, [attr.attempt]: task.attempts,
    ...(task.scene_index === null ? {} : { [attr.scene]: task.scene_index }),
  };
  const outcome = await withSpan(`step.${task.kind}`, stepAttrs, async (span) => {
    const o = await runClaimed(deps, opts, task);
    span.setAttribute(attr.outcome, o);
    return o;
  }, contextOf(task.traceparent));
  return {
    taskId: task.id, videoId: task.video_id, step: task.kind, sceneIndex: task.scene_index,
    attempt: task.attempts, outcome, ms: Date.now() - started, traceparent: task.traceparent,
  };
}

async function runClaimed(deps: QueueDeps, opts: InvocationOptions, task: ClaimedTask): Promise<TaskOutcome> {
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
    const ctx: RunContext = { db, now, signal: abort.signal, workDir, checkpoint: taskCheckpoint(db, task, opts.invocationId) };
    const finish = await deps.registry.run(task, ctx);
    abort.signal.throwIfAborted();
    await appendEvent(db, { ...ids, type: 'step_finished', at: now() });
    const committed = await db.transaction(async (tx) => {
      const at = now();
      // The caller's first lock before the task, as every writer of both takes them (for videos,
      // lib/videos/lock-order.ts): a cancel that landed first makes completeTask find the task
      // cancelled, one that lands later waits for us.
      await deps.registry.lockFirst(tx, task);
      if (!(await completeTask(tx, { taskId: task.id, invocationId: opts.invocationId, now: at }))) return false;
      await finish(tx, at);
      await appendEvent(tx, { ...ids, type: 'completed', at });
      return true;
    });
    if (committed) return 'completed';
    // Not ours any more: cancelled while finishing, or taken over after a missed heartbeat.
    const state = await db.query<{ status: string }>('select status from tasks where id = $1::bigint', [task.id]);
    if (state.rows[0]?.status === 'cancelled') return 'cancelled';
    await appendEvent(db, { ...ids, type: 'lease_lost', at: now() });
    return 'lease_lost';
  } catch (err) {
    const reason = abort.signal.aborted ? abort.signal.reason : err;
    if (isCancelled(reason)) return 'cancelled';
    if (isStepPending(reason)) {
      const at = now();
      if (await deferTask(db, { taskId: task.id, invocationId: opts.invocationId, now: at, afterMs: reason.checkAfterMs })) {
        await appendEvent(db, { ...ids, type: 'waiting', at, detail: { checkAfterMs: reason.checkAfterMs } });
        return 'waiting';
      }
      return 'lease_lost';
    }
    if (isLeaseLost(reason)) {
      await appendEvent(db, { ...ids, type: 'lease_lost', at: now() });
      return 'lease_lost';
    }
    // The step span sees an outcome, not the throw: the failure is marked on it here.
    recordError(activeSpan(), reason);
    return recordFailure(deps, opts.invocationId, task, reason);
  } finally {
    clearTimeout(budgetTimer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await stopHeartbeat();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
