// How a step failure is treated: permanent errors fail the video at once, everything else is
// retried with backoff. The message is what a person reads, so it is written in plain words.
export class StepError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  /** A service asked us to wait at least this long (HTTP Retry-After); the retry is not sooner. */
  readonly retryAfterMs?: number;

  constructor(code: string, message: string, opts: { permanent?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'StepError';
    this.code = code;
    this.permanent = opts.permanent ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

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

export interface ClassifiedError {
  code: string;
  message: string;
  permanent: boolean;
  retryAfterMs?: number;
}

// By name, not instanceof: a provider built in one Next.js bundle may throw into a worker loaded by another.
function named<T extends Error>(err: unknown, name: string): err is T {
  return err instanceof Error && err.name === name;
}

export const isLeaseLost = (err: unknown): err is LeaseLostError => named(err, 'LeaseLostError');
export const isCancelled = (err: unknown): err is CancelledError => named(err, 'CancelledError');
export const isStepPending = (err: unknown): err is StepPending => named(err, 'StepPending');
export const isBudgetExceeded = (err: unknown): err is BudgetExceededError => named(err, 'BudgetExceededError');

export function classify(err: unknown): ClassifiedError {
  if (named<StepError>(err, 'StepError')) {
    return { code: err.code, message: err.message, permanent: err.permanent, retryAfterMs: err.retryAfterMs };
  }
  if (named(err, 'BudgetExceededError')) return { code: 'time_budget_exceeded', message: err.message, permanent: false };
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'step_error', message: `An unexpected error stopped this step: ${detail.slice(0, 300)}`, permanent: false };
}
