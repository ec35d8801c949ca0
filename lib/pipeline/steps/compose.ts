// Step 3: join the scene clips into the final MP4, with the music bed under the narration, a poster frame
// and WebVTT captions.
import path from 'node:path';
import { buildWebVtt } from '@/lib/media/captions';
import { concatClips, extractPoster } from '@/lib/media/compose';
import { musicMixFor } from '@/lib/media/music';
import type { StepHandler } from '@/lib/pipeline/context';
import { sceneCues, storedSceneCues } from '@/lib/pipeline/cues';
import { loadVideo } from '@/lib/pipeline/video-state';
import { videoKeys } from '@/lib/storage/keys';
import { OUTCOME_WEBHOOK_KIND, settleCompleted } from '@/lib/videos/outcome';

interface SceneRow {
  index: number;
  narration: string;
  duration_ms: number;
  clip_key: string;
  /** Measured from the narration at render time; null when only an estimate is possible. */
  cues: unknown;
}

export const runCompose: StepHandler = async (task, ctx) => {
  const video = await loadVideo(ctx.db, task.video_id);
  await ctx.db.query(
    `update videos set status = 'composing', current_scene = null,
            step_label = 'Composing the final video', updated_at = $2::timestamptz
     where id = $1::uuid and status in ('rendering', 'composing')`,
    [video.id, ctx.now()],
  );
  const scenes = (
    await ctx.db.query<SceneRow>(
      `select index, narration, duration_ms, clip_key, cues from scenes
       where video_id = $1::uuid and status = 'rendered' order by index`,
      [video.id],
    )
  ).rows;
  if (scenes.length !== video.scene_count) throw new Error('compose ran before every scene was rendered');

  const clips: string[] = [];
  for (const s of scenes) {
    const local = path.join(ctx.workDir, `scene-${s.index}.mp4`);
    await ctx.storage.download(s.clip_key, local);
    clips.push(local);
  }
  const started = Date.now();
  const finalPath = path.join(ctx.workDir, 'final.mp4');
  // The bed is mixed in the concat's own pass (one audio encode); 'none' or volume 0 leave the narration as is.
  const music = musicMixFor(video.music, video.music_volume);
  const { durationMs } = await concatClips(clips, finalPath, { signal: ctx.signal, music });
  const posterPath = path.join(ctx.workDir, 'poster.jpg');
  await extractPoster(finalPath, posterPath, Math.min(1, durationMs / 2000), { signal: ctx.signal });
  let offset = 0;
  const cues = scenes.flatMap((s) => {
    const c = storedSceneCues(s.cues, s.duration_ms, offset) ?? sceneCues(s.narration, s.duration_ms, offset);
    offset += s.duration_ms;
    return c;
  });
  const vtt = buildWebVtt(cues, { language: video.language });
  await ctx.recordUsage([{ item: 'render_seconds', quantity: (Date.now() - started) / 1000, model: 'ffmpeg' }]);

  const keys = videoKeys(video.id);
  const finalKey = keys.final(video.topic);
  await ctx.storage.put(finalKey, { filePath: finalPath }, { contentType: 'video/mp4', access: 'private' });
  await ctx.storage.put(keys.poster, { filePath: posterPath }, { contentType: 'image/jpeg', access: 'public' });
  await ctx.storage.put(keys.captions, vtt, { contentType: 'text/vtt; charset=utf-8', access: 'private' });

  return async (tx, now) => {
    const done = await tx.query(
      `update videos
       set status = 'completed', step_label = 'Done', video_key = $2::text, poster_key = $3::text,
           captions_key = $4::text, duration_ms = $5::int, completed_at = $6::timestamptz, updated_at = $6::timestamptz
       where id = $1::uuid and status = 'composing'`,
      [video.id, finalKey, keys.poster, keys.captions, Math.round(durationMs), now],
    );
    if (done.rowCount === 1) await settleCompleted(tx, video.id, now, ctx.maxAttempts(OUTCOME_WEBHOOK_KIND));
  };
};
