'use client';

import { useRouter } from 'next/navigation';
import type { CSSProperties } from 'react';
import type { SharedVideoView } from '@/lib/videos/share';
import { StableVideo } from './stable-video';

/**
 * The shared video, read-only: the player with its poster and captions, and nothing that acts on it.
 * Its URLs are signed for this page view and expire as everywhere else; when one stops working, the
 * page is rendered again on the server, which signs fresh ones (or answers 404 once the link is revoked).
 */
export function SharedPlayer({ video }: { video: SharedVideoView }) {
  const router = useRouter();
  const frame = { '--w': video.width, '--h': video.height } as CSSProperties;
  if (!video.videoUrl) {
    return (
      <p className="alert alert-warning" role="status">
        This video’s file isn’t available right now. Reload the page in a moment.
      </p>
    );
  }
  return (
    <section className="player" aria-label="Shared video">
      <div className="player-frame" style={frame}>
        <StableVideo
          className="player-video"
          src={video.videoUrl}
          poster={video.posterUrl}
          captionsUrl={video.captionsUrl}
          captionsLanguage={video.language}
          onStale={() => router.refresh()}
          controls
          playsInline
          preload="metadata"
          aria-label={`Video: ${video.topic}`}
        />
      </div>
    </section>
  );
}
