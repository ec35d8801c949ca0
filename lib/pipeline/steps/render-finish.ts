// Recording a rendered scene; the workflow's fan-in (lib/pipeline/workflow.ts) detects the last one.
import type { Queryable } from '@/lib/db/types';
import { loadVideo } from '@/lib/pipeline/video-state';
import type { SpokenCue } from '@/lib/providers/types';
import { videoKeys } from '@/lib/storage/keys';

export async function markSceneRendered(
  tx: Queryable,
  s: {
    videoId: string; index: number; key: string; durationMs: number;
    /** Caption timing measured from the narration, relative to the scene's start; null when only an estimate exists. */
    cues: SpokenCue[] | null;
    now: Date;
  },
): Promise<void> {
  // The video row is locked (again: the worker's lockFirst took it), which serialises the scenes' completions.
  const locked = await loadVideo(tx, s.videoId, { lock: true });
  await tx.query(
    // The image the clip was made from is stored by now (the render step made or reused it): it
    // becomes the poster frame of the scene's preview.
    `update scenes set status = 'rendered', clip_key = $3::text, duration_ms = $4::int, cues = $6::jsonb, error = null,
            updated_at = $5::timestamptz, image_key = $7::text
     where video_id = $1::uuid and index = $2::int`,
    [s.videoId, s.index, s.key, Math.round(s.durationMs), s.now, s.cues ? JSON.stringify(s.cues) : null,
     videoKeys(s.videoId).sceneImage(s.index)],
  );
  const counts = (
    await tx.query<{ rendered: number; total: number }>(
      `select count(*) filter (where status = 'rendered')::int as rendered, count(*)::int as total
       from scenes where video_id = $1::uuid`,
      [s.videoId],
    )
  ).rows[0]!;
  if (locked.status !== 'rendering') return;
  await tx.query(
    `update videos
     set step_label = 'Rendering scenes: ' || $2::int || ' of ' || $3::int || ' done', updated_at = $4::timestamptz
     where id = $1::uuid`,
    [s.videoId, counts.rendered, counts.total, s.now],
  );
}
