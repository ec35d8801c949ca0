'use client';

import { useEffect, useId, useState } from 'react';
import { errorMessage } from '@/lib/swr/fetcher';
import { hasFilters, useVideos, type VideoFilters } from '@/lib/swr/use-videos';
import { MAX_SEARCH_LENGTH, terminalStatuses, videoStatuses, type VideoPage, type VideoStatus } from '@/lib/videos/types';
import { videoStatusLabels } from './status-badge';
import { VideoCard } from './video-card';

/** How long typing must pause before the search runs: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

export interface StatusChip {
  id: string;
  label: string;
  /** The statuses it shows; none means every status. */
  statuses: readonly VideoStatus[];
}

/** The status filter's chips. "In progress" is every status that is not final, whatever statuses exist. */
export const statusChips: readonly StatusChip[] = [
  { id: 'all', label: 'All', statuses: [] },
  { id: 'running', label: 'In progress', statuses: videoStatuses.filter((s) => !terminalStatuses.includes(s)) },
  ...terminalStatuses.map((s) => ({ id: s, label: videoStatusLabels[s], statuses: [s] })),
];

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The search box and the status chips above "Your videos". */
export function VideoFiltersBar(props: {
  text: string;
  onText: (text: string) => void;
  chip: string;
  onChip: (id: string) => void;
}) {
  const inputId = useId();
  return (
    <div className="video-filters">
      <div className="field video-search">
        <label className="field-label" htmlFor={inputId}>
          Search your videos
        </label>
        <input
          id={inputId}
          type="search"
          value={props.text}
          maxLength={MAX_SEARCH_LENGTH}
          placeholder="Words from the topic"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => props.onText(e.target.value)}
        />
      </div>
      <div className="chips" role="group" aria-label="Show videos by status">
        {statusChips.map((c) => (
          <button
            key={c.id}
            type="button"
            className="chip"
            aria-pressed={props.chip === c.id}
            onClick={() => props.onChip(c.id)}
          >
            {c.label}
          </button>
        ))}
      </div>
    </div>
  );
}

/** What a search or filter that found nothing says, with the way back. */
export function NoMatches({ filters, chip, onClear }: { filters: VideoFilters; chip: string; onClear: () => void }) {
  const q = filters.q.trim();
  const label = statusChips.find((c) => c.id === chip)?.label;
  const where = chip !== 'all' && label ? ` among “${label}”` : '';
  return (
    <div className="card empty-state" role="status">
      <p className="empty-title">No videos match</p>
      <p className="muted">
        {q ? <>Nothing with “<span dir="auto">{q}</span>” in its topic{where}.</> : <>You have no videos{where}.</>}
      </p>
      <button type="button" className="button" onClick={onClear}>
        Show all videos
      </button>
    </div>
  );
}

function Skeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">Loading your videos…</p>
      <ul className="video-grid" role="list" aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <li key={i} className="video-card skeleton-card">
            <div className="thumb skeleton" />
            <div className="video-card-body">
              <div className="skeleton skeleton-line" />
              <div className="skeleton skeleton-line skeleton-short" />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * "Your videos": newest first, live while anything is rendering, searchable, with "Load more". The page
 * passes the first page it rendered on the server, so the list never starts as a skeleton.
 */
export function VideoList({ firstPage }: { firstPage?: VideoPage } = {}) {
  const [text, setText] = useState('');
  const [chip, setChip] = useState('all');
  const q = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const filters: VideoFilters = { q, status: statusChips.find((c) => c.id === chip)?.statuses ?? [] };
  const filtered = hasFilters(filters);
  const { videos, error, isLoading, isLoadingMore, hasMore, loadMore, mutate } = useVideos(filters, firstPage);
  const clear = () => {
    setText('');
    setChip('all');
  };

  if (isLoading && videos.length === 0 && !filtered) return <Skeleton />;

  if (error && videos.length === 0 && !filtered) {
    return (
      <div className="alert alert-warning" role="status">
        <p>Couldn’t load your videos. {errorMessage(error)}</p>
        <button type="button" className="button" onClick={() => void mutate()}>
          Try again
        </button>
      </div>
    );
  }

  if (videos.length === 0 && !filtered && text === '') {
    return (
      <div className="card empty-state">
        <p className="empty-title">No videos yet</p>
        <p className="muted">
          Type a topic above and press <strong>Generate Video</strong>. It will show up here, and keep rendering even
          if you close the tab.
        </p>
      </div>
    );
  }

  return (
    <>
      <VideoFiltersBar text={text} onText={setText} chip={chip} onChip={setChip} />
      {isLoading && videos.length === 0 ? (
        <Skeleton />
      ) : error && videos.length === 0 ? (
        <div className="alert alert-warning" role="status">
          <p>Couldn’t search your videos. {errorMessage(error)}</p>
          <button type="button" className="button" onClick={() => void mutate()}>
            Try again
          </button>
        </div>
      ) : videos.length === 0 ? (
        <NoMatches filters={filters} chip={chip} onClear={clear} />
      ) : (
        <ul className="video-grid" role="list">
          {videos.map((v) => (
            <VideoCard key={v.id} video={v} />
          ))}
        </ul>
      )}
      {error && videos.length > 0 ? (
        <p className="alert alert-warning" role="status">
          Couldn’t refresh the list: {errorMessage(error)}
        </p>
      ) : null}
      {hasMore ? (
        <div className="load-more">
          <button
            type="button"
            className="button"
            onClick={() => {
              if (!isLoadingMore) void loadMore();
            }}
            aria-disabled={isLoadingMore}
          >
            {isLoadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}
