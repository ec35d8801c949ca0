// Step 2 (one task per scene, run in parallel): render the clip, store it, and when the last scene
// lands, fan in to the compose task.
import path from 'node:path';
import { dimensionsFor } from '@/lib/media/dimensions';
import { enqueueTask } from '@/lib/queue/enqueue';
import type { StepHandler } from '@/lib/pipeline/context';
import { loadVideo } from '@/lib/pipeline/video-state';
import { videoKeys } from '@/lib/storage/keys';

interface SceneRow {
  narration: string;
  visual_prompt: string;
  duration_ms: number | null;
}

export const runRender: StepHandler = async (task, ctx) => {
  const index = task.scene_index ?? 0;
  const video = await loadVideo(ctx.db, task.video_id);
  const scene = (
    await ctx.db.query<SceneRow>(
      'select narration, visual_prompt, duration_ms from scenes where video_id = $1::uuid and index = $2::int',
      [video.id, index],
    )
  ).rows[0];
  if (!scene) throw new Error(`scene ${index} of video ${video.id} is missing`);
  await ctx.db.query(
    `update scenes set status = 'rendering', updated_at = $3::timestamptz
     where video_id = $1::uuid and index = $2::int and status <> 'rendered'`,
    [video.id, index, ctx.now()],
  );
  await ctx.db.query(
    `update videos set current_scene = $2::int, updated_at = $3::timestamptz where id = $1::uuid and status = 'rendering'`,
    [video.id, index, ctx.now()],
  );

  const outPath = path.join(ctx.workDir, `scene-${index}.mp4`);
  const { durationMs } = await ctx.provider.renderScene(
    {
      videoId: video.id,
      topic: video.topic,
      sceneIndex: index,
      sceneCount: video.scene_count,
      narration: scene.narration,
      visualPrompt: scene.visual_prompt,
      durationMs: scene.duration_ms ?? 4000,
      outPath,
      ...dimensionsFor(video.aspect_ratio, video.resolution),
    },
    { signal: ctx.signal },
  );
  const key = videoKeys(video.id).scene(index);
  await ctx.storage.put(key, { filePath: outPath }, { contentType: 'video/mp4', access: 'private' });

  return async (tx, now) => {
    // Locking the video row serialises the scenes' completions, so exactly one of them sees "all rendered".
    const locked = await loadVideo(tx, video.id, { lock: true });
    await tx.query(
      `update scenes set status = 'rendered', clip_key = $3::text, duration_ms = $4::int, error = null, updated_at = $5::timestamptz
       where video_id = $1::uuid and index = $2::int`,
      [video.id, index, key, Math.round(durationMs), now],
    );
    const counts = (
      await tx.query<{ rendered: number; total: number }>(
        `select count(*) filter (where status = 'rendered')::int as rendered, count(*)::int as total
         from scenes where video_id = $1::uuid`,
        [video.id],
      )
    ).rows[0]!;
    if (locked.status !== 'rendering') return;
    await tx.query(
      `update videos
       set progress = 10 + (80 * $2::int) / $3::int,
           step_label = 'Rendering scenes: ' || $2::int || ' of ' || $3::int || ' done', updated_at = $4::timestamptz
       where id = $1::uuid`,
      [video.id, counts.rendered, counts.total, now],
    );
    if (counts.rendered === counts.total) {
      await enqueueTask(tx, { videoId: video.id, kind: 'compose', priority: task.priority, maxAttempts: ctx.maxAttempts('compose'), now });
    }
  };
};
