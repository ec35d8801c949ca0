// The status route's answer: one video with its scenes, as its owner may see it.
import { prepared } from '@/lib/db/prepared';
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { dimensionsFor, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import { USAGE_SUMS_JSON, usageFromSums, type UsageSummary, type UsageSums } from '@/lib/usage/ledger';
import type { UrlSigner } from './urls';
import type { SceneStatus, SceneView, VideoStatus, VideoView } from './types';

interface VideoRow {
  id: string;
  topic: string;
  description: string | null;
  provider: string;
  motion: string;
  voice: string;
  language: string;
  music: string;
  music_volume: number;
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
  review: boolean;
  paused_at: Date | null;
  metadata: Record<string, string>;
}

interface SceneRow {
  index: number;
  narration: string;
  visual_prompt: string;
  duration_ms: number | null;
  status: SceneStatus;
  clip_key: string | null;
  /** Set once the scene is rendered, cleared before cleanup removes the image. */
  image_key: string | null;
  error: string | null;
  /** The row's xmin: a new value for every committed change. */
  version: string;
}

/** Just enough of a video to tag it: its version, and what the time-left estimate reads. */
export interface VideoVersion {
  /**
   * Changes whenever anything the view shows changes: the xmin of the video row and of each scene row
   * (every committed update writes a new one) and the number of usage items (only ever inserted). It
   * lets the status route answer 304 without building, signing or hashing the body.
   */
  version: string;
  status: VideoStatus;
  sceneCount: number;
  scenes: Array<{ status: SceneStatus }>;
}

/** What the status route needs of one video, read in one statement; it carries its own version. */
export interface VideoState extends VideoVersion {
  row: VideoRow;
  scenes: SceneRow[];
  usage: UsageSummary;
}

// Prepared, so its columns are listed (see PreparedStatement).
const STATE_SQL = prepared('video_state', `select v.id, v.topic, v.description, v.provider, v.motion, v.voice,
  v.language, v.music, v.music_volume, v.burn_captions, v.cost_credits, v.status, v.progress, v.step_label, v.current_scene, v.scene_count,
  v.aspect_ratio, v.resolution, v.duration_ms, v.video_key, v.poster_key, v.captions_key, v.error_code,
  v.error_message, v.created_at, v.started_at, v.completed_at, v.updated_at, v.review, v.paused_at, v.metadata,
  v.xmin::text as row_version,
  (select coalesce(json_agg(json_build_object(
            'index', s.index, 'narration', s.narration, 'visual_prompt', s.visual_prompt,
            'duration_ms', s.duration_ms, 'status', s.status, 'clip_key', s.clip_key, 'image_key', s.image_key, 'error', s.error,
            'version', s.xmin::text) order by s.index), '[]'::json)
   from scenes s where s.video_id = v.id) as scene_rows,
  ${USAGE_SUMS_JSON} as usage_sums
from videos v where v.id = $1::uuid and v.owner_id = $2::text and v.deleted_at is null`);

type StateRow = VideoRow & { row_version: string; scene_rows: SceneRow[]; usage_sums: UsageSums | null };


// The same version as loadVideoState computes, without the columns, the scene texts or the sums: a
// poll that already holds the current ETag needs nothing else.
const VERSION_SQL = prepared('video_version', `select v.xmin::text as row_version, v.status, v.scene_count,
  (select coalesce(string_agg(s.xmin::text, '.' order by s.index), '') from scenes s where s.video_id = v.id) as scene_versions,
  (select coalesce(array_agg(s.status order by s.index), '{}') from scenes s where s.video_id = v.id) as scene_statuses,
  (select count(*)::int from usage_items u where u.video_id = v.id) as usage_n
from videos v where v.id = $1::uuid and v.owner_id = $2::text and v.deleted_at is null`);

const versionOf = (row: string, scenes: string, usage: number) => `${row}:${scenes}:${usage}`;

export async function loadVideoVersion(q: Queryable, ownerId: string, id: string): Promise<VideoVersion> {
  const r = (await q.query<{
    row_version: string; status: VideoStatus; scene_count: number; scene_versions: string; scene_statuses: SceneStatus[]; usage_n: number;
  }>(VERSION_SQL, [id, ownerId])).rows[0];
  if (!r) throw new AppError('not_found', 'No video with this id.');
  return {
    version: versionOf(r.row_version, r.scene_versions, r.usage_n),
    status: r.status,
    sceneCount: r.scene_count,
    scenes: r.scene_statuses.map((status) => ({ status })),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loadVideoState(q: Queryable, ownerId: string, id: string): Promise<VideoState> {
  const r = (await q.query<StateRow>(STATE_SQL, [id, ownerId])).rows[0];
  if (!r) throw new AppError('not_found', 'No video with this id.');
  const { row_version, scene_rows, usage_sums, ...row } = r;
  return {
    row,
    status: row.status,
    sceneCount: row.scene_count,
    scenes: scene_rows,
    usage: usageFromSums(usage_sums),
    version: versionOf(row_version, scene_rows.map((s) => s.version).join('.'), Number(usage_sums?.n ?? 0)),
  };
}

export async function getVideoView(q: Queryable, ownerId: string, id: string, sign: UrlSigner): Promise<VideoView> {
  return toVideoView(await loadVideoState(q, ownerId, id), sign);
}

// Which parts of the view are signed URLs: a rendered scene's clip and its poster frame, and a
// completed video's files.
// carriesSignedUrls reads the same two rules, so the status ETag follows the URLs' expiry exactly when
// the body has one.
const clipIsSigned = (scene: { status: SceneStatus }) => scene.status === 'rendered';
const filesAreSigned = (status: VideoStatus) => status === 'completed';

/** Whether the view of this video carries any signed URL (which changes on the URLs' expiry boundaries). */
export function carriesSignedUrls(v: Pick<VideoVersion, 'status' | 'scenes'>): boolean {
  return filesAreSigned(v.status) || v.scenes.some(clipIsSigned);
}

export async function toVideoView(state: VideoState, sign: UrlSigner): Promise<VideoView> {
  const v = state.row;
  const sceneViews: SceneView[] = await Promise.all(
    state.scenes.map(async (s) => ({
      index: s.index,
      narration: s.narration,
      visualPrompt: s.visual_prompt,
      durationMs: s.duration_ms,
      status: s.status,
      clipUrl: clipIsSigned(s) ? await sign(s.clip_key) : null,
      // The scene's own image, so its preview is a picture rather than a black box until it plays.
      posterUrl: clipIsSigned(s) ? await sign(s.image_key) : null,
      error: s.error,
    })),
  );
  const done = filesAreSigned(v.status);
  return {
    id: v.id,
    topic: v.topic,
    description: v.description,
    provider: v.provider,
    motion: v.motion,
    voice: v.voice,
    language: v.language,
    music: v.music,
    musicVolume: v.music_volume,
    burnCaptions: v.burn_captions,
    costCredits: v.cost_credits,
    usage: state.usage,
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
    review: v.review,
    awaitingReviewSince: v.status === 'awaiting_review' ? iso(v.paused_at) : null,
    metadata: v.metadata,
    scenes: sceneViews,
  };
}
