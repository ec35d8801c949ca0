'use client';

import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '@/lib/swr/fetcher';
import { isTerminal, useVideo } from '@/lib/swr/use-video';
import type { VideoStatus as Status, VideoView } from '@/lib/videos/types';
import { showNotification, useNotifyState } from './browser-notifications';
import { CompletionToast } from './completion-toast';
import { choiceSummary } from './generation-choices';
import { RelativeTime } from './relative-time';
import { RenderProgress } from './render-progress';
import { SceneList } from './scene-list';
import { SceneReview } from './scene-review';
import { StatusBadge, videoStatusLabels } from './status-badge';
import { UsagePanel } from './usage-panel';
import { useDocumentTitle } from './use-document-title';
import { useFaviconProgress } from './use-favicon-progress';
import { videoPageTitle } from './video-title';
import { VideoActions, type ControlAction } from './video-actions';
import { VideoNotFound } from './video-not-found';
import { VideoPlayer } from './video-player';

interface Finish {
  status: Status;
  /** Counts finishes seen on this page (a retried video can finish again). */
  n: number;
}

/**
 * Notices the moment a video this page watched reaches its end (not a video that was already finished
 * when the page opened), and tells the person: the in-page notice on completion,
 * and a browser notification for completion or failure if they asked for one.
 */
function useFinishNotice(video: VideoView | undefined) {
  const status = video?.status ?? null;
  const [prev, setPrev] = useState(status);
  const [finish, setFinish] = useState<Finish | null>(null);
  if (status !== prev) {
    // Adjusting state while rendering: React re-renders at once, before anything is painted.
    setPrev(status);
    // Any change this page saw into a final status counts (running → done, or failed → done without the
    // running phase between two polls); a page opened on a finished video has no previous status.
    if (prev && status && isTerminal(status)) setFinish({ status, n: (finish?.n ?? 0) + 1 });
    else if (status && !isTerminal(status) && finish) setFinish(null); // running again after Retry
  }

  const notify = useNotifyState(video?.id ?? '');
  const notified = useRef(0);
  const topic = video?.topic ?? '';
  useEffect(() => {
    if (!finish || notified.current >= finish.n) return;
    notified.current = finish.n;
    if (!notify.active) return;
    if (finish.status === 'completed') showNotification('Your video is ready', { body: topic, tag: `cueframe-${finish.n}` });
    else if (finish.status === 'failed') showNotification('Your video couldn’t be finished', { body: topic, tag: `cueframe-${finish.n}` });
  }, [finish, notify.active, topic]);

  const [dismissed, setDismissed] = useState(0);
  return {
    toastOpen: finish?.status === 'completed' && finish.n > dismissed,
    dismiss: () => setDismissed(finish?.n ?? 0),
  };
}

/**
 * Everything about one video, polled every second (every 10 s in a background tab) until it is finished.
 * `initial` is the video as the server rendered it, so the page shows it before (and without) JavaScript.
 */
export function VideoStatus({ id, initial, control }: { id: string; initial?: VideoView; control?: ControlAction }) {
  const { video, error, notFound, mutate } = useVideo(id, initial);
  const refresh = () => void mutate();
  useDocumentTitle(videoPageTitle(video, notFound));
  useFaviconProgress(video && !isTerminal(video.status) ? video.progress : null);
  const { toastOpen, dismiss } = useFinishNotice(video);

  if (notFound) {
    return <VideoNotFound />;
  }
  if (!video) {
    return error ? (
      <div className="alert alert-warning" role="status">
        <p>Couldn’t load this video: {errorMessage(error)} Retrying…</p>
      </div>
    ) : (
      <div className="status-skeleton" aria-busy="true">
        <span className="sr-only" role="status">Loading video…</span>
        <div className="skeleton skeleton-title" />
        <div className="skeleton skeleton-block" />
      </div>
    );
  }

  const running = !isTerminal(video.status);
  const reviewing = video.status === 'awaiting_review';
  return (
    <article className="video-status">
      <header className="video-header">
        <h1 className="video-topic" dir="auto">{video.topic}</h1>
        <div className="video-meta">
          <StatusBadge status={video.status} />
          <span>{video.aspectRatio} · {video.resolution} · {video.sceneCount} {video.sceneCount === 1 ? 'scene' : 'scenes'}</span>
          <span><span className="sr-only">Made with </span><span dir="auto">{choiceSummary(video)}</span></span>
          <span>{video.costCredits} {video.costCredits === 1 ? 'credit' : 'credits'}</span>
          <span>Created <RelativeTime iso={video.createdAt} /></span>
        </div>
        {video.description ? <p className="video-description" dir="auto">{video.description}</p> : null}
      </header>
      <p className="sr-only" aria-live="polite">Status: {videoStatusLabels[video.status]}</p>
      {error ? (
        <p className="alert alert-warning" role="status">Lost contact with the server — retrying. {errorMessage(error)}</p>
      ) : null}

      {running && !reviewing ? <RenderProgress video={video} /> : null}
      {reviewing ? (
        <div className="alert alert-neutral" role="status">
          <h2>Your script is ready for review</h2>
          <p>
            Read the scenes below, change anything you like, then approve to render.
            {video.awaitingReviewSince ? <> Waiting since <RelativeTime iso={video.awaitingReviewSince} />. A review left open too long (a day, unless this server says otherwise) is cancelled and its credits returned.</> : null}
          </p>
        </div>
      ) : null}
      {/* In the page's flow above the player, never floating over it or its controls. */}
      <CompletionToast open={toastOpen} topic={video.topic} onDismiss={dismiss} onWatch={() => {
        const player = document.getElementById('player');
        player?.scrollIntoView({ block: 'center' });
        player?.querySelector('video')?.focus({ preventScroll: true });
        dismiss();
      }} />
      {video.status === 'completed' ? <VideoPlayer video={video} onStale={refresh} /> : null}
      {video.status === 'failed' ? (
        <div className="alert alert-danger" role="alert">
          <h2>This video couldn’t be finished</h2>
          <p dir="auto">{video.error?.message || 'Something went wrong while rendering. Please try again.'}</p>
        </div>
      ) : null}
      {video.status === 'cancelled' ? (
        <div className="alert alert-neutral" role="status">
          <p>This video was cancelled before it finished.</p>
          {video.error?.code === 'review_expired' ? <p dir="auto">{video.error.message}</p> : null}
        </div>
      ) : null}
      {/* While it awaits review, the review form carries Approve and Cancel. */}
      {reviewing ? null : <VideoActions video={video} onChange={refresh} control={control} />}
      <UsagePanel video={video} />

      <section className="scenes" aria-labelledby="scenes-title">
        <h2 id="scenes-title">Scenes</h2>
        {reviewing && video.scenes.length > 0 ? (
          <SceneReview video={video} onChange={refresh} />
        ) : video.scenes.length > 0 ? (
          <SceneList scenes={video.scenes} width={video.width} height={video.height} onStale={refresh} />
        ) : (
          <p className="muted">
            {running ? 'The script is being written — scenes show up here as soon as it’s ready.' : 'No scenes were created.'}
          </p>
        )}
      </section>
    </article>
  );
}
