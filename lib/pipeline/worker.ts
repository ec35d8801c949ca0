// The video pipeline as the queue's caller: it turns the step handlers, per-kind policies and
// services into the queue's TaskRegistry. The queue claims; the registry says what a task is.
import type { Providers } from '@/lib/providers';
import type { Kicker } from '@/lib/queue/kick';
import { runInvocation as runQueueInvocation, type Trigger } from '@/lib/queue/invocation';
import type { KindPolicy, QueueDeps, TaskRegistry } from '@/lib/queue/registry';
import { processOne as processQueueOne, type InvocationOptions } from '@/lib/queue/worker';
import type { Storage } from '@/lib/storage/types';
import { recordUsage } from '@/lib/usage/ledger';
import { lockVideoRow } from '@/lib/videos/lock-order';
import type { StepHandler } from './context';
import { failVideo } from './failure';
import type { TaskKind } from './workflow';

export interface WorkerDeps extends Omit<QueueDeps, 'registry'> {
  storage: Storage;
  providers: Providers;
  handlers: Record<TaskKind, StepHandler>;
  policies: Record<TaskKind, KindPolicy>;
}

export interface InvocationDeps extends WorkerDeps {
  kicker: Kicker;
  concurrency: number;
  budgetMs: number;
  instanceId: string;
}

export function videoRegistry(deps: WorkerDeps): TaskRegistry {
  return {
    policies: deps.policies,
    run: (task, ctx) => deps.handlers[task.kind as TaskKind](task, {
      ...ctx,
      storage: deps.storage,
      providers: deps.providers,
      maxAttempts: (kind) => deps.policies[kind].maxAttempts,
      recordUsage: (items) => recordUsage(ctx.db, task.video_id, task.id, items, ctx.now()),
    }),
    lockFirst: async (tx, task) => {
      await lockVideoRow(tx, task.video_id);
    },
    onDead: (tx, task, failure, at) => failVideo(tx, task, failure, at, deps.policies.webhook.maxAttempts),
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
