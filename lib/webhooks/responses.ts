// What a receiver's answer means to the queue. Receivers fail and recover on their own schedule, so
// almost everything is retried; only 410 Gone says "stop sending", and only a refused URL is ours to stop.
import { StepError } from '@/lib/steps/errors';
import { checkUrl } from './ssrf';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** A receiver cannot park its event for longer than this by answering with a huge Retry-After. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Retry-After is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - nowMs);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

export function rejected(status: number, retryAfter: string | undefined, nowMs: number): StepError {
  if (status === 410) {
    return new StepError('webhook_rejected', 'The callback URL answered 410 Gone, so no more deliveries will be tried.', {
      permanent: true,
    });
  }
  return new StepError('webhook_rejected', `The callback URL answered ${status}.`, {
    retryAfterMs: parseRetryAfter(retryAfter, nowMs),
  });
}

export function unreachable(detail: string, cause?: unknown): StepError {
  return new StepError('webhook_unreachable', `The callback URL could not be reached: ${detail}`, { cause });
}

export const isStepError = (err: unknown): err is StepError => err instanceof Error && err.name === 'StepError';

export const isRefusal = (err: unknown): err is StepError => isStepError(err) && err.code === 'webhook_url_refused';

// Only scheme and host: a receiver-chosen path or query can carry tokens that do not belong in our error log.
const origin = (url: URL) => `${url.protocol}//${url.host}`;

/** A refusal met on a redirect names the redirect, or the receiver's owner goes looking in the wrong place. */
export function redirectRefusal(target: URL, err: StepError): StepError {
  const reason = err.message.replace(/^The callback URL /, 'it ');
  return new StepError('webhook_url_refused', `Refused a redirect to ${origin(target)}: ${reason}`, { permanent: true, cause: err });
}

/**
 * Where a redirect leads, checked like the original URL. A redirect from https to plain http is
 * refused: it would send the signed event, which the receiver chose to protect, in the clear.
 */
export function redirectTarget(current: URL, location: string | undefined, status: number, nowMs: number): URL {
  if (!location) throw rejected(status, undefined, nowMs);
  let target: URL;
  try {
    target = new URL(location, current);
  } catch {
    throw new StepError('webhook_url_refused', 'Refused a redirect to an invalid URL.', { permanent: true });
  }
  try {
    checkUrl(target.href);
  } catch (err) {
    throw isRefusal(err) ? redirectRefusal(target, err) : err;
  }
  if (current.protocol === 'https:' && target.protocol === 'http:') {
    throw new StepError('webhook_url_refused', `Refused a redirect from https to plain http (${origin(target)}).`, {
      permanent: true,
    });
  }
  return target;
}
