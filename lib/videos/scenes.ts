// Editing a planned video's scenes while it awaits review: what is narrated and what is pictured.
import type { Db } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import type { SceneEdits } from '@/lib/schemas/video';
import { lockOwnedVideoRow } from './lock-order';
import { AWAITING_REVIEW } from './types';

export interface EditedScene {
  index: number;
  narration: string;
  visualPrompt: string;
  durationMs: number | null;
}

/**
 * Applies the edits under the video's row lock, and only while it awaits review: an approval or a
 * cancel that took the lock first has moved it on (409). An index the video has no scene for is
 * refused (422) and nothing is written. A changed narration forgets its duration estimate, which was
 * made for the old words; the render measures the new ones. Answers every scene as it now stands.
 */
export async function editScenes(db: Db, ownerId: string, id: string, edits: SceneEdits, now: Date): Promise<{ id: string; scenes: EditedScene[] }> {
  return db.transaction(async (tx) => {
    const v = await lockOwnedVideoRow(tx, ownerId, id);
    if (!v) throw new AppError('not_found', 'No video with this id.');
    if (v.status !== AWAITING_REVIEW) {
      throw new AppError('conflict', `Scenes can be edited only while the video awaits review; this one is ${v.status}.`);
    }
    // Scenes after the video: the lock order (lib/videos/lock-order.ts).
    const known = new Set((await tx.query<{ index: number }>(
      'select index from scenes where video_id = $1::uuid order by index for update', [id],
    )).rows.map((r) => r.index));
    const unknown = edits.scenes.flatMap((e, i) => (known.has(e.index) ? [] : [{ path: `scenes.${i}.index`, message: `This video has no scene ${e.index}.` }]));
    if (unknown.length > 0) {
      throw new AppError('validation_failed', `The request is invalid: ${unknown[0]!.path}: ${unknown[0]!.message}`, unknown);
    }
    await tx.query(
      `update scenes s
       set narration = coalesce(e.narration, s.narration),
           visual_prompt = coalesce(e.prompt, s.visual_prompt),
           duration_ms = case when e.narration is not null and e.narration <> s.narration then null else s.duration_ms end,
           updated_at = $5::timestamptz
       from unnest($2::int[], $3::text[], $4::text[]) as e(idx, narration, prompt)
       where s.video_id = $1::uuid and s.index = e.idx`,
      [id, edits.scenes.map((e) => e.index), edits.scenes.map((e) => e.narration ?? null), edits.scenes.map((e) => e.visualPrompt ?? null), now],
    );
    const scenes = await tx.query<{ index: number; narration: string; visual_prompt: string; duration_ms: number | null }>(
      'select index, narration, visual_prompt, duration_ms from scenes where video_id = $1::uuid order by index', [id],
    );
    return {
      id,
      scenes: scenes.rows.map((s) => ({ index: s.index, narration: s.narration, visualPrompt: s.visual_prompt, durationMs: s.duration_ms })),
    };
  });
}
