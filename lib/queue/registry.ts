// What the queue needs from its caller, and nothing more. The queue claims, leases, heartbeats,
// completes and fails tasks; it never knows what a task is. Its caller hands it a registry: how
// long and how often each kind may run, what to run for a task, the lock its other writers take
// first, and what a dead task does to the work it belonged to.
import type { Db, Queryable } from '@/lib/db/types';
import type { Checkpoint } from '@/lib/steps/checkpoint';
import type { BackoffPolicy } from './backoff';
import type { ClaimedTask } from './types';

export interface KindPolicy {
  maxAttempts: number;
  estimateMs: number;
}

/** What the queue gives a running task: everything else comes from the registry's own closure. */
export interface RunContext {
  db: Db;
  now: () => Date;
  /** Aborted on cancellation, a lost lease or an exhausted time budget. */
  signal: AbortSignal;
  /** A private temp directory, removed after the run. */
  workDir: string;
  /** State kept on the task across attempts, e.g. a remote job id. */
  checkpoint: Checkpoint;
}

/**
 * The writes that record a task's result. The queue runs them in the same transaction that marks the
 * task done, and only while the lease is still held: this is the completion hook.
 */
export type TaskFinish = (tx: Queryable, now: Date) => Promise<void>;

export interface DeadTask {
  id: string;
  video_id: string;
  kind: string;
  scene_index: number | null;
}

export interface TaskFailure {
  code: string;
  message: string;
}

export interface TaskRegistry {
  /** Per kind, in the order claims list them. A kind missing here is never claimed. */
  policies: Readonly<Record<string, KindPolicy>>;
  /** Runs a claimed task's slow work outside any transaction and returns the writes that record it. */
  run(task: ClaimedTask, ctx: RunContext): Promise<TaskFinish>;
  /** The first lock of the caller's lock order, taken before the task row in completion and failure. */
  lockFirst(tx: Queryable, task: { video_id: string }): Promise<void>;
  /** A task is dead (permanent failure, attempts used up, or its workers kept dying): the death hook. */
  onDead(tx: Queryable, task: DeadTask, failure: TaskFailure, at: Date): Promise<void>;
}

export interface QueueDeps {
  db: Db;
  registry: TaskRegistry;
  now: () => Date;
  leaseMs: number;
  heartbeatMs: number;
  backoff: BackoffPolicy;
  maxRunning: number;
  ownerMaxRunning: number;
}

export type TaskOutcome = 'completed' | 'waiting' | 'retrying' | 'released' | 'dead' | 'lease_lost' | 'cancelled';

export interface ProcessedTask {
  taskId: string;
  videoId: string;
  step: string;
  sceneIndex: number | null;
  attempt: number;
  outcome: TaskOutcome;
  ms: number;
}

/** What processOne hands its invocation: the task's stored traceparent too, which the kicks that follow send on. */
export type ProcessedRun = ProcessedTask & { traceparent: string | null };
