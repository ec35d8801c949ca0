'use client';

import { useEffect, useState } from 'react';
import useSWR, { type SWRConfiguration } from 'swr';
import { terminalStatuses, type VideoStatus, type VideoView } from '@/lib/videos/types';
import { ApiError, api, unwrap } from './fetcher';
import { isPageHidden, onPageVisible, usePageHidden } from './visibility';

export const VIDEO_POLL_MS = 1_000;
/** While the tab is in the background: the title and favicon still move, just less often. */
export const VIDEO_HIDDEN_POLL_MS = 10_000;
/** While the scenes await their owner's review nothing changes by itself: a slow check, for another tab's approval. */
export const VIDEO_REVIEW_POLL_MS = 30_000;
export const VIDEO_ERROR_POLL_MS = 4_000;
const VIDEO_ERROR_POLL_MAX_MS = 15_000;

export function isTerminal(status: VideoStatus): boolean {
  return terminalStatuses.includes(status);
}

export function videoKey(id: string): string {
  return `/api/video/status/${encodeURIComponent(id)}`;
}

/**
 * The status route answers with an ETag and `Cache-Control: no-cache`: the browser revalidates its
 * stored answer with If-None-Match on every poll, and hands a 304 back to us as that stored 200, so an
 * unchanged video costs the server no body.
 */
export function getVideo(id: string): Promise<VideoView> {
  return unwrap(api().GET('/api/video/status/{id}', { params: { path: { id } }, cache: 'no-cache' }));
}

/**
 * Poll every second (every 10 s in a background tab) until the video reaches a terminal status, then
 * stop; every 30 s while it awaits review.
 */
export function videoRefreshInterval(latest: VideoView | undefined, hidden: boolean = isPageHidden()): number {
  if (latest && isTerminal(latest.status)) return 0;
  if (latest?.status === 'awaiting_review') return VIDEO_REVIEW_POLL_MS;
  return hidden ? VIDEO_HIDDEN_POLL_MS : VIDEO_POLL_MS;
}

/** Backoff while the API is failing: 4 s, 8 s, then every 15 s. Never retried: 400 and 404. */
export function videoErrorRetryDelay(err: unknown, retryCount: number): number | null {
  if (err instanceof ApiError && (err.status === 400 || err.status === 404)) return null;
  return Math.min(VIDEO_ERROR_POLL_MAX_MS, VIDEO_ERROR_POLL_MS * 2 ** Math.max(0, retryCount - 1));
}

// Module-level so the hook's options keep a stable identity: SWR restarts its polling timer
// whenever refreshInterval changes. That is also how a change of visibility takes effect at once:
// the hook switches between two option sets whose refreshInterval functions differ only in
// identity, so a 10 s timer set while hidden never outlives the tab coming back.
const options: SWRConfiguration<VideoView, ApiError> = {
  refreshInterval: (latest) => videoRefreshInterval(latest),
  keepPreviousData: true,
  // Keep polling in a background tab, slowly: the tab title and favicon show the progress.
  refreshWhenHidden: true,
  revalidateOnFocus: true,
  // The default 2 s dedupe window would silently halve a 1 s poll.
  dedupingInterval: 500,
  // SWR's own polling pauses while the cache holds an error; these retries keep it going, slower.
  onErrorRetry: (err, _key, _config, revalidate, opts) => {
    const delay = videoErrorRetryDelay(err, opts.retryCount);
    if (delay !== null) setTimeout(() => revalidate(opts), delay);
  },
};

const hiddenOptions: SWRConfiguration<VideoView, ApiError> = {
  ...options,
  refreshInterval: (latest) => videoRefreshInterval(latest),
};
// Once SWR's interval returns 0 its timer chain ends, and nothing in SWR starts it again. A video that
// runs again (Retry) must switch options so the timer restarts: finished videos use this set.
const finishedOptions: SWRConfiguration<VideoView, ApiError> = { ...options, refreshInterval: 0 };
// Awaiting review: a set of its own, so that approving (which changes the status) restarts the timer at
// once at the running pace instead of after the slow review interval.
const reviewOptions: SWRConfiguration<VideoView, ApiError> = { ...options, refreshInterval: VIDEO_REVIEW_POLL_MS };

/** `fallbackData`: the video as the server rendered it with the page, shown until the first poll answers. */
export function useVideo(id: string, fallbackData?: VideoView) {
  const hidden = usePageHidden();
  const [finished, setFinished] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const chosen = finished ? finishedOptions : reviewing ? reviewOptions : hidden ? hiddenOptions : options;
  // Read fields one by one (not a spread) so SWR only re-renders for what is used. The spread keeps each
  // set's refreshInterval function, whose identity is what SWR's timer follows.
  const { data, error, isLoading, mutate } = useSWR<VideoView, ApiError>(
    id ? videoKey(id) : null,
    () => getVideo(id),
    fallbackData ? { ...chosen, fallbackData } : chosen,
  );
  const nowFinished = Boolean(data && isTerminal(data.status));
  const nowReviewing = data?.status === 'awaiting_review';
  // Adjusting state while rendering: React re-renders at once with the other options.
  if (nowFinished !== finished) setFinished(nowFinished);
  if (nowReviewing !== reviewing) setReviewing(nowReviewing);
  // Back in the foreground: fetch now rather than when the slow background timer would have fired.
  useEffect(() => onPageVisible(() => void mutate()), [mutate]);
  const notFound = !data && (error?.status === 404 || error?.status === 400);
  return { video: data, error, isLoading, notFound, mutate };
}
