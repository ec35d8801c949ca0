// Turns a Runway HTTP error into a StepError the queue knows how to treat: rate limits and outages
// are retried (no sooner than Runway asked), a bad key or a refused request fails the video at once.
import { StepError } from '@/lib/steps/errors';

/** A StepError that also keeps the HTTP status, so callers can tell e.g. a vanished task (404). */
export class RunwayHttpError extends StepError {
  readonly httpStatus: number;

  constructor(httpStatus: number, code: string, message: string, opts: { permanent?: boolean; retryAfterMs?: number }) {
    super(code, message, opts);
    this.httpStatus = httpStatus;
  }
}

/** Retry-After is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

// Runway's errors look like {"error": "...", "issues": [{"message": "..."}]}; fall back to raw text.
// The body comes decoded (the SDK parses JSON error bodies) or as text.
function runwayMessage(body: unknown): string {
  try {
    const json: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    if (json && typeof json === 'object') {
      const { error, message, issues } = json as { error?: unknown; message?: unknown; issues?: unknown };
      const head = typeof error === 'string' ? error : typeof message === 'string' ? message : '';
      const details = Array.isArray(issues)
        ? issues.map((i: unknown) => (i && typeof i === 'object' ? (i as { message?: unknown }).message : undefined))
            .filter((m): m is string => typeof m === 'string')
        : [];
      const text = [head, ...details].filter(Boolean).join('; ');
      if (text) return text.slice(0, 300);
    }
  } catch {
    // Not JSON: use the body as it came.
  }
  return typeof body === 'string' ? body.trim().slice(0, 300) || 'no reason given' : 'no reason given';
}

export function httpError(status: number, body: unknown, retryAfter: string | null, nowMs: number): RunwayHttpError {
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  if (status === 429) {
    return new RunwayHttpError(status, 'provider_rate_limited', 'Runway is rate limiting us; the step will try again later.', { retryAfterMs });
  }
  if (status >= 500) {
    return new RunwayHttpError(status, 'provider_unavailable', `Runway is having trouble (HTTP ${status}); the step will try again.`, { retryAfterMs });
  }
  if (status === 401 || status === 403) {
    return new RunwayHttpError(status, 'provider_auth', "The server's Runway API key was rejected.", { permanent: true });
  }
  return new RunwayHttpError(status, 'provider_rejected', `Runway refused the request: ${runwayMessage(body)}`, { permanent: true });
}
