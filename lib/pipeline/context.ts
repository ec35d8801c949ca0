import type { Db, Queryable } from '@/lib/db/types';
import type { Checkpoint, UsageItem } from '@/lib/providers/types';
import type { Providers } from '@/lib/providers';
import type { ClaimedTask, TaskKind } from '@/lib/queue/types';
import type { Storage } from '@/lib/storage/types';

export interface StepContext {
  db: Db;
  storage: Storage;
  providers: Providers;
  now: () => Date;
  /** Aborted on cancellation, a lost lease or an exhausted time budget; passed down to ffmpeg and HTTP. */
  signal: AbortSignal;
  /** A private temp directory, removed after the step. */
  workDir: string;
  /** Attempts a newly enqueued task of this kind gets (configurable per kind). */
  maxAttempts: (kind: TaskKind) => number;
  /** State kept on the task across attempts, e.g. a remote job id. */
  checkpoint: Checkpoint;
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
