import type { SceneStatus, VideoStatus } from '@/lib/videos/types';

export const videoStatusLabels: Record<VideoStatus, string> = {
  queued: 'Queued',
  planning: 'Writing script',
  awaiting_review: 'Awaiting your review',
  rendering: 'Rendering',
  composing: 'Finishing up',
  completed: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const sceneStatusLabels: Record<SceneStatus, string> = {
  pending: 'Pending',
  rendering: 'Rendering',
  rendered: 'Rendered',
  failed: 'Failed',
};

type Tone = 'neutral' | 'info' | 'success' | 'danger' | 'muted';

const tones: Record<VideoStatus | SceneStatus, Tone> = {
  queued: 'neutral',
  pending: 'neutral',
  planning: 'info',
  // Nothing moves until the person acts, so it is not shown as busy.
  awaiting_review: 'neutral',
  rendering: 'info',
  composing: 'info',
  completed: 'success',
  rendered: 'success',
  failed: 'danger',
  cancelled: 'muted',
};

const busy = new Set<string>(['planning', 'rendering', 'composing']);

/** A coloured pill that always carries its meaning in text too. */
export function StatusBadge(props: { status: VideoStatus } | { scene: SceneStatus }) {
  const status = 'status' in props ? props.status : props.scene;
  const label = 'status' in props ? videoStatusLabels[props.status] : sceneStatusLabels[props.scene];
  return (
    <span className={`badge badge-${tones[status]}${busy.has(status) ? ' badge-busy' : ''}`}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
