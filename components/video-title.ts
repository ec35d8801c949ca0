// The video page's tab title: the server renders it with the page, and VideoStatus keeps it current.
import type { VideoView } from '@/lib/videos/types';
import { clampPercent } from './format';
import { videoStatusLabels } from './status-badge';

/** "✓ Ready — topic", "Failed — topic", "42% · Rendering — Cueframe"…; null while nothing is known. */
export function videoPageTitle(video: VideoView | undefined, notFound: boolean): string | null {
  if (notFound) return 'Video not found — Cueframe';
  if (!video) return null;
  if (video.status === 'completed') return `✓ Ready — ${video.topic}`;
  if (video.status === 'failed') return `Failed — ${video.topic}`;
  if (video.status === 'cancelled') return `Cancelled — ${video.topic}`;
  if (video.status === 'awaiting_review') return `Review the scenes — ${video.topic}`;
  return `${clampPercent(video.progress)}% · ${video.stepLabel || videoStatusLabels[video.status]} — Cueframe`;
}
