'use client';

import { useMemo, useState } from 'react';
import type { ScopedMutator } from 'swr';
import useSWRInfinite, { unstable_serialize, type SWRInfiniteConfiguration } from 'swr/infinite';
import type { AspectRatio } from '@/lib/media/dimensions';
import { VIDEOS_PAGE_SIZE, type GenerateAccepted, type VideoPage, type VideoStatus, type VideoSummary } from '@/lib/videos/types';
import { type ApiError, api, NO_STORE, unwrap } from './fetcher';
import { isTerminal } from './use-video';
import { isPageHidden, usePageHidden } from './visibility';

export { VIDEOS_PAGE_SIZE };
export const VIDEOS_POLL_MS = 3_000;
export const VIDEOS_HIDDEN_POLL_MS = 15_000;

/** What "Your videos" is narrowed to: a topic search ('' is none) and statuses (none is all). */
export interface VideoFilters {
  q: string;
  status: readonly VideoStatus[];
}

export const noFilters: VideoFilters = { q: '', status: [] };

export function hasFilters(f: VideoFilters): boolean {
  return f.q.trim() !== '' || f.status.length > 0;
}

/** The list's URL for these filters; each filter is part of every page's key, so SWR caches them apart. */
function listUrl(filters: VideoFilters): string {
  const q = filters.q.trim();
  return (
    `/api/videos?limit=${VIDEOS_PAGE_SIZE}` +
    (q ? `&q=${encodeURIComponent(q)}` : '') +
    (filters.status.length ? `&status=${filters.status.join(',')}` : '')
  );
}

/** Fetches one page by its key: the key is the list's URL, so each filter and the cursor come from its query. */
export function getVideosPage(key: string): Promise<VideoPage> {
  const params = new URL(key, 'http://cueframe.invalid').searchParams;
  const opt = (name: string) => params.get(name) ?? undefined;
  const limit = opt('limit');
  return unwrap(api().GET('/api/videos', {
    ...NO_STORE,
    params: { query: { limit: limit === undefined ? undefined : Number(limit), q: opt('q'), status: opt('status'), cursor: opt('cursor') } },
  }));
}

/** Page 0 is the newest match; each further page follows the previous page's nextCursor. */
export function videosPageKeyFor(filters: VideoFilters) {
  const base = listUrl(filters);
  return (index: number, previous: VideoPage | null): string | null => {
    if (index === 0) return base;
    if (!previous?.nextCursor) return null;
    return `${base}&cursor=${encodeURIComponent(previous.nextCursor)}`;
  };
}

/** The unfiltered list's keys. */
export const videosPageKey = videosPageKeyFor(noFilters);

/** The cache key of the whole unfiltered list, for `mutate(videosListKey)` from anywhere. */
export const videosListKey = unstable_serialize(videosPageKey);

/**
 * Poll every 3 s (15 s in a background tab) while any listed video is still being made, otherwise not
 * at all. A video awaiting review does not count: nothing about it changes until its owner acts.
 */
export function videosRefreshInterval(pages: VideoPage[] | undefined, hidden: boolean = isPageHidden()): number {
  const busy = pages?.some((p) => p?.videos.some((v) => !isTerminal(v.status) && v.status !== 'awaiting_review'));
  if (!busy) return 0;
  return hidden ? VIDEOS_HIDDEN_POLL_MS : VIDEOS_POLL_MS;
}

// Two option sets whose refreshInterval differ only in identity: switching between them when the tab
// is hidden or shown restarts SWR's timer at the new pace (see use-video.ts).
const options: SWRInfiniteConfiguration<VideoPage, ApiError> = {
  refreshInterval: (pages) => videosRefreshInterval(pages),
  keepPreviousData: true,
  revalidateFirstPage: true,
};
const hiddenOptions: SWRInfiniteConfiguration<VideoPage, ApiError> = {
  ...options,
  refreshInterval: (pages) => videosRefreshInterval(pages),
};
// When nothing is being made the interval is 0 and SWR's timer chain ends; a video that starts (or is
// retried) later must restart it, which switching to another option set does.
const idleOptions: SWRInfiniteConfiguration<VideoPage, ApiError> = { ...options, refreshInterval: 0 };

/**
 * `firstPage`: the unfiltered list's first page as the server rendered it, so the list shows at once,
 * and without JavaScript at all; SWR revalidates it on mount as usual.
 */
export function useVideos(filters: VideoFilters = noFilters, firstPage?: VideoPage) {
  const hidden = usePageHidden();
  const [idle, setIdle] = useState(false);
  // A new key function only when a filter's value changes (not each render's new array), so SWR sees a new list exactly then.
  const { q } = filters;
  const statusKey = filters.status.join(',');
  const getKey = useMemo(
    () => videosPageKeyFor({ q, status: statusKey ? (statusKey.split(',') as VideoStatus[]) : [] }),
    [q, statusKey],
  );
  const chosen = idle ? idleOptions : hidden ? hiddenOptions : options;
  const served = firstPage && !hasFilters(filters) ? firstPage : undefined;
  const { data, error, isLoading, size, setSize, mutate } = useSWRInfinite<VideoPage, ApiError>(
    getKey,
    getVideosPage,
    served ? { ...chosen, fallbackData: [served] } : chosen,
  );
  const nowIdle = data !== undefined && videosRefreshInterval(data, false) === 0;
  if (nowIdle !== idle) setIdle(nowIdle);
  const seen = new Set<string>();
  const videos: VideoSummary[] = [];
  for (const page of data ?? []) {
    for (const v of page?.videos ?? []) {
      if (!seen.has(v.id)) {
        seen.add(v.id);
        videos.push(v);
      }
    }
  }
  const last = data?.[data.length - 1];
  const isLoadingMore = size > 0 && data !== undefined && data[size - 1] === undefined;
  // SWR counts fallback data as not loaded yet, but the server's page is the list until the first poll
  // answers: it shows, instead of a skeleton (which, without JavaScript, would never go away).
  const showingServed = served !== undefined && data?.[0] === served;
  return {
    videos,
    error,
    isLoading: isLoading && !showingServed,
    isLoadingMore,
    hasMore: Boolean(last?.nextCursor),
    loadMore: () => setSize((s) => s + 1),
    mutate,
  };
}

/**
 * Puts a just-accepted video at the top of the cached list and asks for a fresh first page,
 * so "Your videos" shows it straight away when the person comes back.
 */
export function addToVideosList(
  mutate: ScopedMutator,
  accepted: GenerateAccepted,
  request: { topic: string; aspectRatio: AspectRatio },
): Promise<unknown> {
  const summary: VideoSummary = {
    id: accepted.id,
    topic: request.topic,
    status: accepted.status,
    progress: 0,
    stepLabel: 'Waiting in the queue',
    aspectRatio: request.aspectRatio,
    posterUrl: null,
    createdAt: new Date().toISOString(),
  };
  return mutate<VideoPage[]>(
    videosListKey,
    (pages) => {
      if (!pages?.length) return pages;
      const [first, ...rest] = pages;
      if (first.videos.some((v) => v.id === summary.id)) return pages;
      return [{ ...first, videos: [summary, ...first.videos] }, ...rest];
    },
    { revalidate: true },
  );
}
