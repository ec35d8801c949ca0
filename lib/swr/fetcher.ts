// Client-side HTTP helpers for SWR and the form. Non-2xx answers become an ApiError that keeps
// the API's `{ error: { code, message, issues? } }` together with the HTTP status.

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

const fallbackMessages: Record<string, string> = {
  network_error: "We couldn't reach the server. Check your connection and try again.",
  not_found: "We couldn't find that.",
  rate_limited: "You're going a little fast. Wait a moment, then try again.",
  validation_failed: 'Some details need fixing. Check the highlighted fields.',
  internal_error: 'Something went wrong on our side. Please try again.',
  misconfigured: "The service isn't set up correctly right now. Please try again later.",
};

function fallbackFor(status: number, code: string): string {
  if (fallbackMessages[code]) return fallbackMessages[code];
  if (status >= 500) return `The server had a problem (error ${status}). Please try again.`;
  return `The request couldn't be completed (error ${status}).`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Builds an ApiError from a non-2xx response, tolerating bodies that aren't the API's JSON. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // An HTML error page from a proxy, an empty body… fall back to the status.
  }
  const err = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof err.code === 'string' ? err.code : res.status === 404 ? 'not_found' : `http_${res.status}`;
  const message = typeof err.message === 'string' && err.message.trim() ? err.message : fallbackFor(res.status, code);
  const issues = Array.isArray(err.issues)
    ? err.issues.filter(isRecord).map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') }))
    : [];
  return new ApiError(res.status, code, message, issues);
}

/** fetch + JSON, throwing ApiError for network failures and non-2xx answers. */
export async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      cache: 'no-store',
      ...init,
      headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', fallbackFor(0, 'network_error'));
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T; // DELETE answers with no body
  return (await res.json()) as T;
}

/** The SWR fetcher: the key is the URL. */
export function fetcher<T>(url: string): Promise<T> {
  return request<T>(url);
}

/**
 * For polled routes that answer with an ETag and `Cache-Control: no-cache` (the status route): the
 * browser revalidates its stored answer with If-None-Match on every poll, and hands a 304 back to us
 * as that stored 200, so an unchanged video costs the server no body.
 */
export function revalidatingFetcher<T>(url: string): Promise<T> {
  return request<T>(url, { cache: 'no-cache' });
}

export function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  return request<T>(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A sentence a person can read, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return fallbackMessages.internal_error;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}
