'use client';

import { errorMessage } from '@/lib/swr/fetcher';
import { useVideos } from '@/lib/swr/use-videos';
import { VideoCard } from './video-card';

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

/** "Your videos": newest first, live while anything is rendering, with "Load more". */
export function VideoList() {
  const { videos, error, isLoading, isLoadingMore, hasMore, loadMore, mutate } = useVideos();

  if (isLoading && videos.length === 0) return <Skeleton />;

  if (error && videos.length === 0) {
    return (
      <div className="alert alert-warning" role="status">
        <p>Couldn’t load your videos. {errorMessage(error)}</p>
        <button type="button" className="button" onClick={() => void mutate()}>
          Try again
        </button>
      </div>
    );
  }

  if (videos.length === 0) {
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
      <ul className="video-grid" role="list">
        {videos.map((v) => (
          <VideoCard key={v.id} video={v} />
        ))}
      </ul>
      {error ? (
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
