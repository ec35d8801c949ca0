'use client';

import type { CSSProperties } from 'react';
import { videoFileName } from '@/lib/storage/file-name';
import type { VideoView } from '@/lib/videos/types';
import { formatDuration, isoDuration } from './format';
import { StableVideo } from './stable-video';

interface VideoPlayerProps {
  video: VideoView;
  /** Refetch when a signed URL has expired. */
  onStale?: () => void;
}

/** The finished MP4, sized to its aspect ratio, with captions and a download link. */
export function VideoPlayer({ video, onStale }: VideoPlayerProps) {
  const frame = { '--w': video.width, '--h': video.height } as CSSProperties;
  if (!video.videoUrl) {
    return (
      <p className="alert alert-warning" role="status">
        Your video is finished, but its file isn’t available right now. Reload the page in a moment.
      </p>
    );
  }
  return (
    <section className="player" id="player" aria-label="Finished video">
      <div className="player-frame" style={frame}>
        <StableVideo
          className="player-video"
          src={video.videoUrl}
          poster={video.posterUrl}
          captionsUrl={video.captionsUrl}
          captionsLanguage={video.language}
          onStale={onStale}
          controls
          playsInline
          preload="metadata"
          aria-label={`Video: ${video.topic}`}
        />
      </div>
      <div className="player-actions">
        {video.downloadUrl ? (
          <a className="button button-primary" href={video.downloadUrl} download={videoFileName(video.topic)}>
            <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
              <path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" />
            </svg>
            Download MP4
          </a>
        ) : null}
        <dl className="player-meta">
          {video.durationMs != null ? (
            <div>
              <dt>Duration</dt>
              <dd>
                <time dateTime={isoDuration(video.durationMs)}>{formatDuration(video.durationMs)}</time>
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Size</dt>
            <dd>
              {video.width}×{video.height} · {video.aspectRatio}
            </dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
