// The JSON shapes the admin API answers with; the admin page reads these (types only, no server code).

export const taskStates = ['ready', 'running', 'done', 'dead', 'cancelled'] as const;
export type TaskState = (typeof taskStates)[number];
// Task kinds come from the workflow (lib/pipeline/workflow.ts): the metrics list every declared kind.

export interface RunningTask {
  id: string;
  videoId: string;
  kind: string;
  sceneIndex: number | null;
  attempt: number;
  /** The invocation holding the lease (tasks.locked_by). */
  invocationId: string | null;
  claimedAt: string;
  /** Seconds since this invocation claimed the task. */
  leaseAgeSeconds: number;
  /** Seconds until the lease expires; negative once it has (the next sweep hands it on). */
  leaseExpiresInSeconds: number;
}

export interface OldestReady {
  taskId: string;
  videoId: string;
  kind: string;
  /** Seconds since the longest-waiting ready task became claimable (its run_at). */
  ageSeconds: number;
}

export interface DeadTask {
  id: string;
  videoId: string;
  kind: string;
  sceneIndex: number | null;
  attempts: number;
  errorCode: string | null;
  error: string | null;
  at: string;
}

export interface FailedVideo {
  id: string;
  topic: string;
  ownerId: string;
  errorCode: string | null;
  error: string | null;
  at: string;
}

export interface Counts {
  completed: number;
  failed: number;
}

export interface Throughput {
  hour: Counts;
  day: Counts;
}

export interface StepStat {
  kind: string;
  count: number;
  p50Seconds: number;
  p95Seconds: number;
}

export interface AdminOverview {
  generatedAt: string;
  queue: Record<TaskState, number>;
  oldestReady: OldestReady | null;
  running: RunningTask[];
  failures: { deadTasks: DeadTask[]; deadTaskCount: number; failedVideos: FailedVideo[]; failedVideoCount: number };
  /** Tasks: completed and failed (dead) events; videos: reaching completed or failed. Windows end now. */
  throughput: { tasks: Throughput; videos: Throughput };
  /** step_started → completed of the same task and invocation, completed in the last 24 h. */
  steps: StepStat[];
  /** Credits captured for completed videos, and the estimated provider cost of all usage. */
  spend: { credits: number; usd: number };
  /** Videos waiting for their owner's review: they hold reserved credits and a place under the active cap. */
  awaitingReview: { count: number; oldestSeconds: number | null };
}

export interface ProcessNextResult {
  invocationId: string;
  processed: {
    taskId: string;
    videoId: string;
    step: string;
    sceneIndex: number | null;
    attempt: number;
    outcome: string;
    ms: number;
  } | null;
  kicked: number;
}

export interface RequeueVideoResult {
  videoId: string;
  requeued: number;
  /** True when the video had failed and was resumed (its paused steps went back in the queue too). */
  resumed: boolean;
  /** Dead steps left alone, with why (e.g. the video was cancelled). */
  skipped: number;
  reason: string | null;
}

export interface RequeueResult {
  requeued: number;
  skipped: number;
  videos: RequeueVideoResult[];
}
