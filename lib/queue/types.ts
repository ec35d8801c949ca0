/** A task as the claim hands it to a worker. Ids are bigint, carried as strings. */
export interface ClaimedTask {
  id: string;
  video_id: string;
  /** What to run: the caller's registry knows; the queue does not. */
  kind: string;
  scene_index: number | null;
  /** For webhook tasks: the event being delivered. */
  ref: string | null;
  attempts: number;
  max_attempts: number;
  priority: number;
  locked_until: Date;
  /** State the step saved on an earlier attempt (e.g. a remote job id), or null. */
  checkpoint: Record<string, unknown> | null;
  /** The W3C traceparent of the span that accepted the task's video; its claim and step spans are its children. */
  traceparent: string | null;
}

export type TaskEventType =
  | 'enqueued'
  | 'claimed'
  | 'step_started'
  | 'step_finished'
  | 'retried'
  | 'failed'
  | 'completed'
  | 'lease_expired'
  | 'lease_lost'
  | 'cancelled'
  | 'released'
  | 'requeued'
  | 'waiting';
