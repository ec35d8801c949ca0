// Video rows as the pipeline moves them. Every update is guarded by the status it expects, so a
// late or doubled write can never move a finished, failed or cancelled video.
import type { Queryable } from '@/lib/db/types';
import type { AspectRatio, Resolution } from '@/lib/media/dimensions';
import type { MusicBed } from '@/lib/media/music-beds';
import type { Language } from '@/lib/providers/languages';
import type { VideoStatus } from '@/lib/videos/types';

export interface PipelineVideo {
  id: string;
  topic: string;
  description: string | null;
  status: VideoStatus;
  scene_count: number;
  aspect_ratio: AspectRatio;
  resolution: Resolution;
  provider: string;
  motion: string;
  voice: string;
  burn_captions: boolean;
  language: Language;
  /** The person's own script, paragraphs separated by a blank line; null when the provider plans it. */
  script: string | null;
  music: MusicBed;
  music_volume: number;
  review: boolean;
}

const VIDEO_COLUMNS = `select id, topic, description, status, scene_count, aspect_ratio, resolution, provider, motion, voice,
  burn_captions, language, script, music, music_volume, review from videos where id = $1::uuid`;

export async function loadVideo(q: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<PipelineVideo> {
  const r = await q.query<PipelineVideo>(
    // The lock a writer of the video takes first (lib/videos/lock-order.ts).
    opts.lock ? `${VIDEO_COLUMNS} for no key update` : VIDEO_COLUMNS,
    [id],
  );
  const v = r.rows[0];
  if (!v) throw new Error(`video ${id} vanished while it had queued work`);
  return v;
}

/** True when this call failed the video (it was not already finished, failed or cancelled). */
export async function markVideoFailed(q: Queryable, id: string, code: string, message: string, now: Date): Promise<boolean> {
  const r = await q.query(
    `update videos
     set status = 'failed', error_code = $2::text, error_message = $3::text, step_label = 'Failed',
         completed_at = $4::timestamptz, updated_at = $4::timestamptz
     where id = $1::uuid and status not in ('completed', 'failed', 'cancelled')`,
    [id, code, message, now],
  );
  return r.rowCount === 1;
}

export async function markSceneFailed(q: Queryable, videoId: string, index: number, message: string, now: Date): Promise<void> {
  await q.query(
    `update scenes set status = 'failed', error = $3::text, updated_at = $4::timestamptz
     where video_id = $1::uuid and index = $2::int and status <> 'rendered'`,
    [videoId, index, message, now],
  );
}
