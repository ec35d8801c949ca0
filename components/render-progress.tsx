import Link from 'next/link';
import type { VideoView } from '@/lib/videos/types';
import { clampPercent, formatEta } from './format';
import { NotifyButton } from './notify-button';
import { ProgressBar } from './progress-bar';

/**
 * The API's estimate of the time left (from the step durations the queue has measured), or null.
 * Read defensively: servers that don't send `etaMs` yet simply show no estimate.
 */
export function etaOf(video: VideoView): number | null {
  const eta = (video as VideoView & { etaMs?: number | null }).etaMs;
  return typeof eta === 'number' && Number.isFinite(eta) ? eta : null;
}

/** "Scene X of N" while scenes render: currentScene (1-based) if given, else rendered + 1. */
export function sceneCounter(video: VideoView): string | null {
  if (video.status !== 'rendering' || video.sceneCount < 1) return null;
  const rendered = video.scenes.filter((s) => s.status === 'rendered').length;
  const current = video.currentScene ?? rendered + 1;
  const x = Math.min(video.sceneCount, Math.max(1, current));
  return `Scene ${x} of ${video.sceneCount}`;
}

/** The "still working" panel: progress, what is happening, and permission to leave. */
export function RenderProgress({ video }: { video: VideoView }) {
  const counter = sceneCounter(video);
  const eta = formatEta(etaOf(video));
  return (
    <section className="card render-progress" aria-labelledby="render-progress-title">
      <div className="render-progress-head">
        <h2 id="render-progress-title" className="render-step" dir="auto">
          {video.stepLabel || 'Working on it'}
        </h2>
        <span className="render-percent" aria-hidden="true">
          {clampPercent(video.progress)}%
        </span>
      </div>
      <ProgressBar value={video.progress} stepLabel={video.stepLabel} label="Video progress" />
      {counter || eta ? (
        <div className="render-facts">
          {counter ? <p className="render-counter">{counter}</p> : null}
          {eta ? (
            <p className="render-eta">
              <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16" fill="none" stroke="currentColor"
                strokeWidth="2" strokeLinecap="round">
                <circle cx="10" cy="10" r="7.5" />
                <path d="M10 6v4.2l2.6 1.6" />
              </svg>
              {eta}
            </p>
          ) : null}
        </div>
      ) : null}
      <NotifyButton videoId={video.id} />
      <p className="note">
        <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <circle cx="10" cy="10" r="8" />
          <path d="M10 9v5M10 6v.01" />
        </svg>
        <span>
          You can close this tab — your video keeps rendering on our servers. Find it any time under{' '}
          <Link href="/#videos">Your videos</Link>.
        </span>
      </p>
    </section>
  );
}
