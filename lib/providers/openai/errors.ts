// Turns whatever the OpenAI SDK throws into a StepError the queue knows how to treat: transient failures are
// retried later (never by the SDK, see client.ts); permanent ones fail the scene with a message a person reads.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ZodError } from 'zod';
import { StepError } from '@/lib/steps/errors';

const REFUSAL_CODES = new Set(['content_policy_violation', 'moderation_blocked']);
// Image refusals do not always carry a code; their message names the policy or the safety system instead.
const REFUSAL_TEXT = /content[_ ]policy|moderation_blocked|safety system/i;

/** How long a 429/503 asked us to wait: retry-after-ms (OpenAI's own), else Retry-After in seconds or as a date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = nonNegative(headers?.get('retry-after-ms'));
  if (ms !== undefined) return Math.ceil(ms);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  // Anything number-like is a delay, never a date: Date.parse would happily read "-3" as a year.
  if (/^[\d.+-]+$/.test(value)) {
    const s = nonNegative(value);
    return s === undefined ? undefined : Math.ceil(s * 1000);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function nonNegative(value: string | null | undefined): number | undefined {
  const n = value?.trim() ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function refusedMessage(what: string): string {
  return `OpenAI declined to create ${what} because it may break its content policy. Try rewording the topic.`;
}

export function malformed(what: string, detail: string, cause?: unknown): StepError {
  return new StepError('provider_malformed', `OpenAI sent an unusable response for ${what} (${detail}).`, { cause });
}

function apiMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' && body.message ? body.message : err.message;
}

function fromStatus(err: APIError & { status: number }, what: string): StepError {
  const { status } = err;
  const message = apiMessage(err);
  const opts = { cause: err };
  if (status === 429) {
    // A spent balance also arrives as 429, but waiting will not refill it.
    if (err.code === 'insufficient_quota' || err.type === 'insufficient_quota') {
      return new StepError('provider_quota', "The server's OpenAI account has run out of credit.", { ...opts, permanent: true });
    }
    const wait = retryAfterMs(err.headers);
    return new StepError('provider_rate_limited', `OpenAI is rate limiting requests for ${what}; trying again later.`, { ...opts, retryAfterMs: wait });
  }
  if (status >= 500 || status === 409) {
    return new StepError('provider_unavailable', `OpenAI had a problem creating ${what} (HTTP ${status}).`, { ...opts, retryAfterMs: retryAfterMs(err.headers) });
  }
  if (status === 408) return new StepError('provider_timeout', `OpenAI took too long to create ${what}.`, opts);
  if (status === 401 || status === 403) {
    return new StepError('provider_auth', "The server's OpenAI API key was rejected.", { ...opts, permanent: true });
  }
  if (status === 400 && ((err.code && REFUSAL_CODES.has(err.code)) || REFUSAL_TEXT.test(message))) {
    return new StepError('content_refused', refusedMessage(what), { ...opts, permanent: true });
  }
  return new StepError('provider_rejected', `OpenAI rejected the request for ${what}: ${message}`, { ...opts, permanent: true });
}

/**
 * Classifies an error from a call for `what` ("the image for scene 2"). It cannot tell the caller's own
 * cancellation from the SDK's timeout: check the caller's signal first, as withStepErrors does.
 */
export function toStepError(err: unknown, what: string): StepError {
  if (err instanceof Error && err.name === 'StepError') return err as StepError;
  // Timeout before connection error: the timeout class extends it. A user abort that is not the caller's
  // (the caller's signal is checked before we get here) can only be an internal deadline.
  if (err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) {
    return new StepError('provider_timeout', `OpenAI took too long to create ${what}.`, { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new StepError('provider_unavailable', `Could not reach OpenAI to create ${what}.`, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === 'number') return fromStatus(err as APIError & { status: number }, what);
  if (err instanceof SyntaxError) return malformed(what, 'not valid JSON', err);
  if (err instanceof ZodError) return malformed(what, 'not the expected shape', err);
  const detail = err instanceof Error ? err.message : String(err);
  return new StepError('provider_error', `Creating ${what} with OpenAI failed: ${detail.slice(0, 300)}`, { cause: err });
}

/** Runs fn; our own cancellation propagates unchanged (its reason says why), anything else becomes a StepError. */
export async function withStepErrors<T>(what: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    throw toStepError(err, what);
  }
}
