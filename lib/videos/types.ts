// The JSON shapes the API answers with; the UI and the CLI read these.
import type { AspectRatio, Resolution } from '@/lib/media/dimensions';
import type { UsageView } from '@/lib/usage/types';

export const videoStatuses = ['queued', 'planning', 'awaiting_review', 'rendering', 'composing', 'completed', 'failed', 'cancelled'] as const;
export type VideoStatus = (typeof videoStatuses)[number];
export const terminalStatuses: readonly VideoStatus[] = ['completed', 'failed', 'cancelled'];
/** Planned and waiting for its owner to approve (or edit, or cancel) the scenes: nothing runs meanwhile. */
export const AWAITING_REVIEW = 'awaiting_review' satisfies VideoStatus;

/** The longest topic search GET /api/videos takes (its `q`); the search box stops there too. */
export const MAX_SEARCH_LENGTH = 100;

export const sceneStatuses = ['pending', 'rendering', 'rendered', 'failed'] as const;
export type SceneStatus = (typeof sceneStatuses)[number];

/** POST /api/video/generate's answer: 'queued' when created; a replay answers the video's current status. */
export interface GenerateAccepted {
  id: string;
  status: VideoStatus;
  statusUrl: string;
  costCredits: number;
}

export interface SceneView {
  index: number;
  narration: string;
  visualPrompt: string;
  durationMs: number | null;
  status: SceneStatus;
  clipUrl: string | null;
  /** The scene's stored image, signed like the clip: the preview's poster frame until it plays. */
  posterUrl: string | null;
  error: string | null;
}

export type { UsageView };

export interface VideoView {
  id: string;
  topic: string;
  description: string | null;
  provider: string;
  motion: string;
  voice: string;
  /** BCP 47 primary tag of the narration's language. */
  language: string;
  /** The music bed under the narration ('none' for silence) and its level, 0 to 1. */
  music: string;
  musicVolume: number;
  burnCaptions: boolean;
  /** Credits reserved for this video (captured on success, released on failure or cancel). */
  costCredits: number;
  usage: UsageView;
  status: VideoStatus;
  progress: number;
  stepLabel: string;
  currentScene: number | null;
  sceneCount: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  width: number;
  height: number;
  durationMs: number | null;
  videoUrl: string | null;
  downloadUrl: string | null;
  posterUrl: string | null;
  captionsUrl: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  updatedAt: string;
  /** Asked to stop after planning so the scenes can be reviewed. */
  review: boolean;
  /** When it started waiting for review; null unless it is awaiting review. */
  awaitingReviewSince: string | null;
  /** The caller's metadata from generate, unchanged ({} when none was given). */
  metadata: Record<string, string>;
  scenes: SceneView[];
  /** Estimated time left, from the step durations the queue has measured; null when finished or unknown. */
  etaMs?: number | null;
}

export interface VideoSummary {
  id: string;
  topic: string;
  status: VideoStatus;
  progress: number;
  stepLabel: string;
  aspectRatio: AspectRatio;
  posterUrl: string | null;
  createdAt: string;
}

/** How many videos a page of "Your videos" holds: the list the home page renders and then polls. */
export const VIDEOS_PAGE_SIZE = 12;

export interface VideoPage {
  videos: VideoSummary[];
  nextCursor: string | null;
}
