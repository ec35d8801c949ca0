// Step 1: write the script and its scenes; the workflow fans out one render task per scene.
import { StepError } from '@/lib/steps/errors';
import type { StepHandler } from '@/lib/pipeline/context';
import { loadVideo } from '@/lib/pipeline/video-state';
import { scriptParagraphs } from '@/lib/schemas/video';

export const runPlan: StepHandler = async (task, ctx) => {
  const video = await loadVideo(ctx.db, task.video_id);
  await ctx.db.query(
    `update videos
     set status = 'planning', step_label = 'Writing the script',
         started_at = coalesce(started_at, $2::timestamptz), updated_at = $2::timestamptz
     where id = $1::uuid and status in ('queued', 'planning')`,
    [video.id, ctx.now()],
  );
  const { scenes, usage } = await ctx.providers.content(video.provider).plan(
    {
      topic: video.topic,
      description: video.description,
      sceneCount: video.scene_count,
      aspectRatio: video.aspect_ratio,
      resolution: video.resolution,
      language: video.language,
      script: video.script === null ? null : scriptParagraphs(video.script),
    },
    { signal: ctx.signal },
  );
  await ctx.recordUsage(usage);
  if (scenes.length === 0) throw new StepError('empty_plan', 'The script came back with no scenes.');

  return async (tx, now) => {
    const locked = await loadVideo(tx, video.id, { lock: true });
    if (locked.status !== 'planning' && locked.status !== 'queued') return;
    await tx.query(
      `insert into scenes (video_id, index, narration, visual_prompt, duration_ms, updated_at)
       select $1::uuid, s.idx, s.narration, s.prompt, s.ms, $6::timestamptz
       from unnest($2::int[], $3::text[], $4::text[], $5::int[]) as s(idx, narration, prompt, ms)
       on conflict (video_id, index) do nothing`,
      [video.id, scenes.map((_, i) => i), scenes.map((s) => s.narration), scenes.map((s) => s.visualPrompt),
       scenes.map((s) => s.durationMs), now],
    );
    await tx.query(
      `update videos
       set status = 'rendering', scene_count = $2::int,
           step_label = 'Rendering scenes: 0 of ' || $2::int || ' done', updated_at = $3::timestamptz
       where id = $1::uuid`,
      [video.id, scenes.length, now],
    );
  };
};
