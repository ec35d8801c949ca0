'use client';

import { useCallback, useState } from 'react';
import useSWR, { useSWRConfig, type SWRConfiguration } from 'swr';
import type { AdminOverview } from '@/lib/admin/types';
import { ApiError, errorMessage, fetcher, postJson, request, toApiError } from './fetcher';

export const ADMIN_POLL_MS = 3_000;
export const adminOverviewKey = '/api/admin/overview';

/** Signed out (401) or the admin area off (404): polling cannot fix either, so it stops. */
export function isAdminGone(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 401 || err.status === 404);
}

const options: SWRConfiguration<AdminOverview, ApiError> = {
  refreshInterval: ADMIN_POLL_MS,
  keepPreviousData: true,
  refreshWhenHidden: false,
  dedupingInterval: 1_000,
  onErrorRetry: (err, _key, _config, revalidate, opts) => {
    if (isAdminGone(err)) return;
    setTimeout(() => revalidate(opts), Math.min(15_000, ADMIN_POLL_MS * 2 ** opts.retryCount));
  },
};

/** The overview, refreshed every 3 s. */
export function useAdminOverview() {
  const { data, error, isLoading, mutate } = useSWR<AdminOverview, ApiError>(adminOverviewKey, fetcher, options);
  return { overview: data, error, isLoading, mutate };
}

export interface ActionState<T> {
  busy: boolean;
  result?: T;
  error?: string;
}

/** Runs one admin action (a POST), keeps its answer or error, and refreshes the overview. */
export function useAdminAction<T>() {
  const { mutate } = useSWRConfig();
  const [state, setState] = useState<ActionState<T>>({ busy: false });
  const run = useCallback(
    async (url: string, body?: unknown): Promise<ActionState<T>> => {
      setState({ busy: true });
      let next: ActionState<T>;
      try {
        const result = body === undefined ? await request<T>(url, { method: 'POST' }) : await postJson<T>(url, body);
        next = { busy: false, result };
      } catch (err) {
        next = { busy: false, error: errorMessage(err) };
      }
      setState(next);
      void mutate(adminOverviewKey);
      return next;
    },
    [mutate],
  );
  return { ...state, run };
}

/** Signs in (token → session cookie) or out; the answer is 204 with no body. */
export async function adminSession(method: 'POST' | 'DELETE', token?: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/api/admin/session', {
      method,
      cache: 'no-store',
      headers: token === undefined ? {} : { 'content-type': 'application/json' },
      body: token === undefined ? undefined : JSON.stringify({ token }),
    });
  } catch {
    throw new ApiError(0, 'network_error', "We couldn't reach the server. Check your connection and try again.");
  }
  if (!res.ok) throw await toApiError(res);
}
