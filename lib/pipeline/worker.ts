// The video pipeline as the queue's caller: it turns the step handlers, per-kind policies and
// services into the queue's TaskRegistry. The queue claims; the registry says what a task is.
import type { Queryable } from '@/lib/db/types';
import type { Providers } from '@/lib/providers';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { Kicker } from '@/lib/queue/kick';
import { runInvocation as runQueueInvocation, type Trigger } from '@/lib/queue/invocation';
import type { KindPolicy, QueueDeps, TaskRegistry } from '@/lib/queue/registry';
import type { ClaimedTask } from '@/lib/queue/types';
import { processOne as processQueueOne, type InvocationOptions } from '@/lib/queue/worker';
import type { Storage } from '@/lib/storage/types';
import { recordUsage } from '@/lib/usage/ledger';
import { lockVideoRow } from '@/lib/videos/lock-order';
import { OUTCOME_WEBHOOK_KIND } from '@/lib/videos/outcome';
import type { StepHandler } from './context';
import { failVideo } from './failure';
import { enterPause, fanOut } from './pause';
import { progressOf, type StepState } from './progress';
import { progressWeights, stepOf, stepPolicies, type TaskKind } from './workflow';

export interface WorkerDeps extends Omit<QueueDeps, 'registry'> {
  storage: Storage;
  providers: Providers;
  handlers: Record<TaskKind, StepHandler>;
  /** Per kind; a kind left out gets the workflow's declared policy. */
  policies: Partial<Record<string, KindPolicy>>;
}

export interface InvocationDeps extends WorkerDeps {
  kicker: Kicker;
  concurrency: number;
  budgetMs: number;
  instanceId: string;
}

/**
 * The workflow's pause, fan-out and fan-in after a step's own writes, in its completion transaction: the
 * video row is locked (lockFirst), so of several finishing siblings exactly one sees the fan-in ready,
 * and enqueueing is idempotent, so a doubled completion cannot enqueue twice.
 */
async function followOn(tx: Queryable, task: ClaimedTask, now: Date, policies: Record<TaskKind, KindPolicy>): Promise<void> {
  const step = stepOf(task.kind);
  // A video that pauses here fans out when it is approved instead (lib/pipeline/pause.ts).
  if (step && !(await enterPause(tx, step.pause, task.video_id, now, policies))) {
    await fanOut(tx, step, task.video_id, task.priority, now, policies);
  }
  if (step?.fanIn && (await step.fanIn.ready(tx, task.video_id))) {
    await enqueueTask(tx, {
      videoId: task.video_id, kind: step.fanIn.into, priority: task.priority, maxAttempts: policies[step.fanIn.into as TaskKind].maxAttempts, now,
    });
  }
  if (step && step.progressWeight > 0) await recordProgress(tx, task.video_id);
}

/**
 * Stores progressOf() over the video's task states on the video row, in the transaction that changed
 * them: the row's version (xmin), which the status route's ETag is derived from, so covers progress.
 * A failed or cancelled video keeps the progress it stopped at.
 */
async function recordProgress(tx: Queryable, videoId: string): Promise<void> {
  const states = (await tx.query<StepState>('select kind, status from tasks where video_id = $1::uuid', [videoId])).rows;
  await tx.query(
    `update videos set progress = $2::int
     where id = $1::uuid and status not in ('failed', 'cancelled') and progress <> $2::int`,
    [videoId, progressOf(states, progressWeights)],
  );
}

export function videoRegistry(deps: WorkerDeps): TaskRegistry {
  const policies = stepPolicies(deps.policies);
  return {
    policies,
    run: async (task, ctx) => {
      const finish = await deps.handlers[task.kind as TaskKind](task, {
        ...ctx,
        storage: deps.storage,
        providers: deps.providers,
        maxAttempts: (kind) => policies[kind as TaskKind].maxAttempts,
        recordUsage: (items) => recordUsage(ctx.db, task.video_id, task.id, items, ctx.now()),
      });
      return async (tx, now) => {
        await finish(tx, now);
        await followOn(tx, task, now, policies);
      };
    },
    lockFirst: async (tx, task) => {
      await lockVideoRow(tx, task.video_id);
    },
    onDead: (tx, task, failure, at) => failVideo(tx, task, failure, at, policies[OUTCOME_WEBHOOK_KIND].maxAttempts),
  };
}

export function queueDeps<T extends WorkerDeps>(deps: T): T & QueueDeps {
  return { ...deps, registry: videoRegistry(deps) };
}

export function processOne(deps: WorkerDeps, opts: InvocationOptions) {
  return processQueueOne(queueDeps(deps), opts);
}

export function runInvocation(deps: InvocationDeps, trigger: Trigger, defer?: (fn: () => Promise<void>) => void) {
  return runQueueInvocation(queueDeps(deps), trigger, defer);
}
