// What a failed call to the API becomes, for every user of the typed client (the UI and the CLI): an
// ApiError with the HTTP status and the API's `{ error: { code, message, issues? } }`, a network failure
// a status-0 ApiError, and an abort the AbortError it is.
export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ApiIssue[];

  constructor(status: number, code: string, message: string, issues: ApiIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export const fallbackMessages: Record<string, string> = {
  network_error: "We couldn't reach the server. Check your connection and try again.",
  not_found: "We couldn't find that.",
  rate_limited: "You're going a little fast. Wait a moment, then try again.",
  validation_failed: 'Some details need fixing. Check the highlighted fields.',
  internal_error: 'Something went wrong on our side. Please try again.',
  misconfigured: "The service isn't set up correctly right now. Please try again later.",
};

export function fallbackFor(status: number, code: string): string {
  if (fallbackMessages[code]) return fallbackMessages[code];
  if (status >= 500) return `The server had a problem (error ${status}). Please try again.`;
  return `The request couldn't be completed (error ${status}).`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Builds an ApiError from a non-2xx status and its parsed body, tolerating bodies that aren't the API's JSON. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const err = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof err.code === 'string' ? err.code : status === 404 ? 'not_found' : `http_${status}`;
  const message = typeof err.message === 'string' && err.message.trim() ? err.message : fallbackFor(status, code);
  const issues = Array.isArray(err.issues)
    ? err.issues.filter(isRecord).map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') }))
    : [];
  return new ApiError(status, code, message, issues);
}

/** Rethrows an abort as is; any other failure to get an answer is a network_error. */
export function networkError(cause: unknown): never {
  if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
  throw new ApiError(0, 'network_error', fallbackFor(0, 'network_error'));
}

/** What every typed client call answers. */
interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * A typed client call's data, or an ApiError for a non-2xx answer or a network failure (an abort is
 * rethrown as is).
 */
export async function unwrap<D>(call: Promise<Outcome<D>>): Promise<D> {
  let outcome: Outcome<D>;
  try {
    outcome = await call;
  } catch (cause) {
    networkError(cause);
  }
  if (!outcome.response.ok) throw apiErrorFrom(outcome.response.status, outcome.error ?? null);
  return outcome.data as D;
}

