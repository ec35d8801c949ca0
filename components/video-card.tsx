'use client';

import Link from 'next/link';
import { isTerminal } from '@/lib/swr/use-video';
import type { VideoSummary } from '@/lib/videos/types';
import { ProgressBar } from './progress-bar';
import { RelativeTime } from './relative-time';
import { StatusBadge } from './status-badge';
import { useStableSrc } from './use-stable-src';

/** One entry of "Your videos": thumbnail, topic, status, progress and age, linking to its page. */
export function VideoCard({ video }: { video: VideoSummary }) {
  const poster = useStableSrc(video.posterUrl);
  const running = !isTerminal(video.status);
  return (
    <li className="video-card">
      <Link href={`/videos/${encodeURIComponent(video.id)}`} className="video-card-link">
        <div className="thumb">
          {poster.src ? (
            // eslint-disable-next-line @next/next/no-img-element -- signed, expiring URLs; nothing to optimise
            <img src={poster.src} alt="" loading="lazy" decoding="async" onError={poster.onError} />
          ) : (
            <span className="thumb-placeholder" aria-hidden="true">
              <svg viewBox="0 0 24 24" width="28" height="28" fill="currentColor">
                <path d="M8 5.5v13l10-6.5z" />
              </svg>
            </span>
          )}
          <span className="thumb-ratio">{video.aspectRatio}</span>
        </div>
        <div className="video-card-body">
          <p className="video-card-topic" dir="auto">
            {video.topic}
          </p>
          <div className="video-card-meta">
            <StatusBadge status={video.status} />
            <RelativeTime iso={video.createdAt} className="muted" />
          </div>
          {running ? (
            <ProgressBar
              size="sm"
              value={video.progress}
              stepLabel={video.stepLabel}
              label={`Progress of ${video.topic}`}
            />
          ) : null}
        </div>
      </Link>
    </li>
  );
}
