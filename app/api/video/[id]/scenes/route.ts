// PATCH /api/video/[id]/scenes - edits the narration and visual prompts of a video awaiting review
import { parseWith, readJson } from '@/lib/api/body';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import type { Body, editedScenesSchema } from '@/lib/schemas/responses';
import { parseVideoId, sceneEditsSchema } from '@/lib/schemas/video';
import { editScenes } from '@/lib/videos/scenes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const PATCH = withOwner<{ id: string }>('PATCH /api/video/[id]/scenes', async (req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  const edits = parseWith(sceneEditsSchema, await readJson(req));
  const result = await editScenes(app.db, ownerId, id, edits, app.now());
  return json(result satisfies Body<typeof editedScenesSchema>, { headers: { 'cache-control': 'no-store' } });
});
