// The queue's own signals. They are raised into a running task's AbortSignal (or thrown by its
// handler) and mean "not a failure of the work": the queue decides what happens to the task.
import { classify, isNamedError, type ClassifiedError } from '@/lib/steps/errors';

/** Not a failure: a remote job is still running, so the task is re-queued to look again later. */
export class StepPending extends Error {
  readonly checkAfterMs: number;

  constructor(checkAfterMs: number) {
    super(`Waiting ${checkAfterMs} ms for a remote job.`);
    this.name = 'StepPending';
    this.checkAfterMs = checkAfterMs;
  }
}

/** Raised into a step's AbortSignal when another invocation has taken the task over. */
export class LeaseLostError extends Error {
  constructor() {
    super('The task lease was lost to another invocation.');
    this.name = 'LeaseLostError';
  }
}

/** Raised into a step's AbortSignal when the video is cancelled while the step runs. */
export class CancelledError extends Error {
  constructor() {
    super('The video was cancelled.');
    this.name = 'CancelledError';
  }
}

/** Raised into a step's AbortSignal when the invocation's time budget runs out. */
export class BudgetExceededError extends Error {
  constructor() {
    super('The invocation ran out of time before the step finished.');
    this.name = 'BudgetExceededError';
  }
}

export const isLeaseLost = (err: unknown): err is LeaseLostError => isNamedError(err, 'LeaseLostError');
export const isCancelled = (err: unknown): err is CancelledError => isNamedError(err, 'CancelledError');
export const isStepPending = (err: unknown): err is StepPending => isNamedError(err, 'StepPending');
export const isBudgetExceeded = (err: unknown): err is BudgetExceededError => isNamedError(err, 'BudgetExceededError');

/** classify(), plus the queue's own time-budget hand-back. */
export function classifyFailure(err: unknown): ClassifiedError {
  if (isBudgetExceeded(err)) return { code: 'time_budget_exceeded', message: err.message, permanent: false };
  return classify(err);
}
