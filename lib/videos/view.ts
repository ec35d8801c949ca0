// The status route's answer: one video with its scenes, as its owner may see it.
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { dimensionsFor, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import { usageSummary } from '@/lib/usage/ledger';
import type { UrlSigner } from './urls';
import type { SceneStatus, SceneView, VideoStatus, VideoView } from './types';

interface VideoRow {
  id: string;
  topic: string;
  description: string | null;
  provider: string;
  motion: string;
  voice: string;
  burn_captions: boolean;
  cost_credits: number;
  status: VideoStatus;
  progress: number;
  step_label: string;
  current_scene: number | null;
  scene_count: number;
  aspect_ratio: AspectRatio;
  resolution: Resolution;
  duration_ms: number | null;
  video_key: string | null;
  poster_key: string | null;
  captions_key: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
}

interface SceneRow {
  index: number;
  narration: string;
  visual_prompt: string;
  duration_ms: number | null;
  status: SceneStatus;
  clip_key: string | null;
  error: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getVideoView(q: Queryable, ownerId: string, id: string, sign: UrlSigner): Promise<VideoView> {
  const v = (
    await q.query<VideoRow>('select * from videos where id = $1::uuid and owner_id = $2::text', [id, ownerId])
  ).rows[0];
  if (!v) throw new AppError('not_found', 'No video with this id.');
  const scenes = await q.query<SceneRow>(
    'select index, narration, visual_prompt, duration_ms, status, clip_key, error from scenes where video_id = $1::uuid order by index',
    [id],
  );
  const sceneViews: SceneView[] = await Promise.all(
    scenes.rows.map(async (s) => ({
      index: s.index,
      narration: s.narration,
      visualPrompt: s.visual_prompt,
      durationMs: s.duration_ms,
      status: s.status,
      clipUrl: s.status === 'rendered' ? await sign(s.clip_key) : null,
      error: s.error,
    })),
  );
  const done = v.status === 'completed';
  return {
    id: v.id,
    topic: v.topic,
    description: v.description,
    provider: v.provider,
    motion: v.motion,
    voice: v.voice,
    burnCaptions: v.burn_captions,
    costCredits: v.cost_credits,
    usage: await usageSummary(q, v.id),
    status: v.status,
    progress: v.progress,
    stepLabel: v.step_label,
    currentScene: v.current_scene,
    sceneCount: v.scene_count,
    aspectRatio: v.aspect_ratio,
    resolution: v.resolution,
    ...dimensionsFor(v.aspect_ratio, v.resolution),
    durationMs: v.duration_ms,
    videoUrl: done ? await sign(v.video_key) : null,
    downloadUrl: done ? await sign(v.video_key, { download: true }) : null,
    posterUrl: done ? await sign(v.poster_key, { access: 'public' }) : null,
    captionsUrl: done ? await sign(v.captions_key) : null,
    error: v.error_code ? { code: v.error_code, message: v.error_message ?? 'The video could not be made.' } : null,
    createdAt: v.created_at.toISOString(),
    startedAt: iso(v.started_at),
    completedAt: iso(v.completed_at),
    updatedAt: v.updated_at.toISOString(),
    scenes: sceneViews,
  };
}
