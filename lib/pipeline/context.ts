import type { Queryable } from '@/lib/db/types';
import type { UsageItem } from '@/lib/providers/types';
import type { Providers } from '@/lib/providers';
import type { RunContext } from '@/lib/queue/registry';
import type { ClaimedTask } from '@/lib/queue/types';
import type { Storage } from '@/lib/storage/types';

/** What a step gets: the queue's run context, plus the pipeline's own services. */
export interface StepContext extends RunContext {
  storage: Storage;
  providers: Providers;
  /** Attempts a newly enqueued task of this kind gets (configurable per kind; kinds are the workflow's). */
  maxAttempts: (kind: string) => number;
  /** Records paid usage in the ledger at once: the money is spent whether or not the step completes. */
  recordUsage: (items: UsageItem[]) => Promise<void>;
}

/**
 * A step does its slow work (rendering, uploading) outside any transaction, then hands back the
 * database writes that record its result. The worker runs them in the same transaction that marks
 * the task done, so a result is recorded exactly when its task completes.
 */
export type FinishStep = (tx: Queryable, now: Date) => Promise<void>;

export type StepHandler = (task: ClaimedTask, ctx: StepContext) => Promise<FinishStep>;
