// One invocation's work: recover stale leases, prune the claim's rotation when it is this
// invocation's turn, claim one task that fits the time left, run its step under a heartbeat, and
// record the outcome. Everything it touches is injected, so tests drive it with their own clock,
// providers and step handlers.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '@/lib/db/types';
import type { StepContext, StepHandler } from '@/lib/pipeline/context';
import { BudgetExceededError, isCancelled, isLeaseLost, isStepPending } from './errors';
import type { Providers } from '@/lib/providers';
import { recordUsage } from '@/lib/usage/ledger';
import type { Storage } from '@/lib/storage/types';
import type { BackoffPolicy } from './backoff';
import { deferTask, taskCheckpoint } from './checkpoint';
import { claimTask } from './claim';
import { completeTask } from './complete';
import { appendEvent } from './events';
import { startHeartbeat } from './heartbeat';
import { releaseExpiredLeases } from './lease';
import { lockVideoRow } from './lock-order';
import { recordFailure, recordWorkerLost } from './outcome';
import { taskKinds, type ClaimedTask, type TaskKind } from './types';
import { pruneRotationIfDue } from './upkeep';

export interface KindPolicy {
  maxAttempts: number;
  estimateMs: number;
}

export interface WorkerDeps {
  db: Db;
  storage: Storage;
  providers: Providers;
  handlers: Record<TaskKind, StepHandler>;
  now: () => Date;
  leaseMs: number;
  heartbeatMs: number;
  backoff: BackoffPolicy;
  policies: Record<TaskKind, KindPolicy>;
  maxRunning: number;
  ownerMaxRunning: number;
}

export interface InvocationOptions {
  invocationId: string;
  /** Epoch ms by which the invocation must be done: later steps are aborted and handed back. */
  deadline?: number;
  signal?: AbortSignal;
}

export type TaskOutcome = 'completed' | 'waiting' | 'retrying' | 'released' | 'dead' | 'lease_lost' | 'cancelled';

export interface ProcessedTask {
  taskId: string;
  videoId: string;
  step: TaskKind;
  sceneIndex: number | null;
  attempt: number;
  outcome: TaskOutcome;
  ms: number;
}

/** Kinds whose estimated run fits in the time this invocation has left. */
export function kindsThatFit(policies: Record<TaskKind, KindPolicy>, deadline: number | undefined, nowMs: number): TaskKind[] {
  if (deadline === undefined) return [...taskKinds];
  return taskKinds.filter((k) => policies[k].estimateMs <= deadline - nowMs);
}

export async function processOne(deps: WorkerDeps, opts: InvocationOptions): Promise<ProcessedTask | null> {
  const swept = await releaseExpiredLeases(deps.db, deps.now());
  for (const task of swept.filter((t) => t.status === 'dead')) await recordWorkerLost(deps, task);
  await pruneRotationIfDue(deps.db, deps.now());
  const task = await claimTask(deps.db, {
    invocationId: opts.invocationId,
    now: deps.now(),
    leaseMs: deps.leaseMs,
    kinds: kindsThatFit(deps.policies, opts.deadline, Date.now()),
    maxRunning: deps.maxRunning,
    ownerMaxRunning: deps.ownerMaxRunning,
  });
  if (!task) return null;
  const started = Date.now();
  const outcome = await runClaimed(deps, opts, task);
  return {
    taskId: task.id, videoId: task.video_id, step: task.kind, sceneIndex: task.scene_index,
    attempt: task.attempts, outcome, ms: Date.now() - started,
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
    const ctx: StepContext = {
      db, storage: deps.storage, providers: deps.providers, now, signal: abort.signal, workDir,
      maxAttempts: (kind) => deps.policies[kind].maxAttempts,
      checkpoint: taskCheckpoint(db, task, opts.invocationId),
      recordUsage: (items) => recordUsage(db, task.video_id, task.id, items, now()),
    };
    const finish = await deps.handlers[task.kind](task, ctx);
    abort.signal.throwIfAborted();
    await appendEvent(db, { ...ids, type: 'step_finished', at: now() });
    const committed = await db.transaction(async (tx) => {
      const at = now();
      // The video before its task, as every writer of both does (lock-order.ts): a cancel that
      // landed first makes completeTask find the task cancelled, one that lands later waits for us.
      await lockVideoRow(tx, task.video_id);
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
    return recordFailure(deps, opts.invocationId, task, reason);
  } finally {
    clearTimeout(budgetTimer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await stopHeartbeat();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
