// Client-side HTTP helpers for SWR and the forms. The public API is called through the typed client
// (lib/client, generated from the OpenAPI document) and `unwrap`; the admin area, which the document
// leaves out, through `request`. Either way a non-2xx answer becomes an ApiError that keeps the API's
// `{ error: { code, message, issues? } }` together with the HTTP status, a network failure becomes a
// status-0 ApiError, and an abort is passed through as the AbortError it is.
import { createCueframeClient, type CueframeClient } from '@/lib/client';

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

/** Builds an ApiError from a non-2xx response, tolerating bodies that aren't the API's JSON. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // An HTML error page from a proxy, an empty body… fall back to the status.
  }
  return apiErrorFrom(res.status, body);
}

function networkError(cause: unknown): never {
  if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
  throw new ApiError(0, 'network_error', fallbackFor(0, 'network_error'));
}

let pageClient: CueframeClient | undefined;

/** The page's typed client: same origin, so the owner cookie names the caller. */
export function api(): CueframeClient {
  pageClient ??= createCueframeClient({ baseUrl: '' });
  return pageClient;
}

/** What every typed client call answers. */
interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * A typed client call's data, or an ApiError for a non-2xx answer or a network failure (an abort is
 * rethrown as is). `cache` defaults to no-store, as for `request`.
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

/** The fetch options the UI's typed calls share: nothing cached by the browser unless a call says so. */
export const NO_STORE = { cache: 'no-store' } as const satisfies RequestInit;

/** fetch + JSON, throwing ApiError for network failures and non-2xx answers: for routes outside the document (admin). */
export async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      cache: 'no-store',
      ...init,
      headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (cause) {
    networkError(cause);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T; // DELETE answers with no body
  return (await res.json()) as T;
}

/** The SWR fetcher: the key is the URL. */
export function fetcher<T>(url: string): Promise<T> {
  return request<T>(url);
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
