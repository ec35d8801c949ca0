// How a step failure is treated: permanent errors fail the step's work at once, everything else is
// retried with backoff. The message is what a person reads, so it is written in plain words.
// A leaf module: providers, webhooks, the pipeline and the queue all read it, and it reads nothing.
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

export interface ClassifiedError {
  code: string;
  message: string;
  permanent: boolean;
  retryAfterMs?: number;
}

// By name, not instanceof: a provider built in one Next.js bundle may throw into a worker loaded by another.
export function isNamedError<T extends Error>(err: unknown, name: string): err is T {
  return err instanceof Error && err.name === name;
}

export const isStepError = (err: unknown): err is StepError => isNamedError(err, 'StepError');

/** A StepError as it says; anything else is an unexpected, retryable failure. */
export function classify(err: unknown): ClassifiedError {
  if (isStepError(err)) {
    return { code: err.code, message: err.message, permanent: err.permanent, retryAfterMs: err.retryAfterMs };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'step_error', message: `An unexpected error stopped this step: ${detail.slice(0, 300)}`, permanent: false };
}
