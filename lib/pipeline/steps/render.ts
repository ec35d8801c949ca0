// Step 2 (one task per scene, run in parallel): image and narration from the content provider, then
// motion; the clip is stored. When the last scene lands, the workflow fans in to compose.
import path from 'node:path';
import { dimensionsFor } from '@/lib/media/dimensions';
import { probe } from '@/lib/media/probe';
import { reuseOrMake } from '@/lib/pipeline/artifacts';
import type { StepHandler } from '@/lib/pipeline/context';
import { sceneCues } from '@/lib/pipeline/cues';
import { StepPending } from '@/lib/queue/errors';
import { loadVideo } from '@/lib/pipeline/video-state';
import type { SceneInput, Voice } from '@/lib/providers/types';
import { videoKeys } from '@/lib/storage/keys';
import { markSceneRendered } from './render-finish';

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
  // Guarded by the task, so a cancel that lands first is not overwritten by a stale 'rendering'.
  await ctx.db.query(
    `update scenes set status = 'rendering', updated_at = $3::timestamptz
     where video_id = $1::uuid and index = $2::int and status <> 'rendered'
       and exists (select 1 from tasks where id = $4::bigint and status = 'running')`,
    [video.id, index, ctx.now(), task.id],
  );
  await ctx.db.query(
    `update videos set current_scene = $2::int, updated_at = $3::timestamptz where id = $1::uuid and status = 'rendering'`,
    [video.id, index, ctx.now()],
  );

  const input: SceneInput = {
    videoId: video.id, topic: video.topic, sceneIndex: index, sceneCount: video.scene_count,
    narration: scene.narration, visualPrompt: scene.visual_prompt, durationMs: scene.duration_ms ?? 4000,
    aspectRatio: video.aspect_ratio, voice: video.voice as Voice, language: video.language, ...dimensionsFor(video.aspect_ratio, video.resolution),
  };
  const content = ctx.providers.content(video.provider);
  const keys = videoKeys(video.id);
  const call = { signal: ctx.signal };
  const imagePath = path.join(ctx.workDir, 'image.png');
  const audioPath = path.join(ctx.workDir, 'narration.m4a');
  await reuseOrMake(ctx.storage, keys.sceneImage(index), imagePath, 'image/png', async () => {
    await ctx.recordUsage((await content.sceneImage(input, imagePath, call)).usage);
  });
  await reuseOrMake(ctx.storage, keys.sceneAudio(index), audioPath, 'audio/mp4', async () => {
    await ctx.recordUsage((await content.narration(input, audioPath, call)).usage);
  });
  const audioMs = (await probe(audioPath)).durationMs;

  const outPath = path.join(ctx.workDir, 'clip.mp4');
  const motion = await ctx.providers.motion(video.motion).animate(
    {
      scene: input, imagePath, audioPath, audioDurationMs: audioMs, outPath,
      burnCaptions: video.burn_captions ? sceneCues(scene.narration, audioMs) : null,
    },
    { ...call, checkpoint: ctx.checkpoint },
  );
  if (motion.status === 'pending') throw new StepPending(motion.checkAfterMs);
  await ctx.recordUsage(motion.usage);
  const key = keys.scene(index);
  await ctx.storage.put(key, { filePath: outPath }, { contentType: 'video/mp4', access: 'private' });

  return async (tx, now) => {
    await markSceneRendered(tx, { videoId: video.id, index, key, durationMs: motion.durationMs, now });
  };
};
