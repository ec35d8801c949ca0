// Client-side HTTP helpers for SWR and the forms. The public API is called through the typed client
// (lib/client, generated from the OpenAPI document) and `unwrap`; the admin area, which the document
// leaves out, through `request`. Either way a non-2xx answer becomes an ApiError that keeps the API's
// `{ error: { code, message, issues? } }` together with the HTTP status, a network failure becomes a
// status-0 ApiError, and an abort is passed through as the AbortError it is.
import { createCueframeClient, type CueframeClient } from '@/lib/client';
import { ApiError, apiErrorFrom, fallbackMessages, networkError } from '@/lib/client/errors';

export { ApiError, apiErrorFrom, unwrap, type ApiIssue } from '@/lib/client/errors';

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

/** The page's typed client: same origin, so the owner cookie names the caller. Cheap to make (a few closures). */
export function api(): CueframeClient {
  return createCueframeClient({ baseUrl: globalThis.location?.origin ?? '' });
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
