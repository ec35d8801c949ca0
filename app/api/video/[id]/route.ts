// DELETE /api/video/[id] - deletes a finished video for its owner: gone from their list and status, files removed after the answer
import { afterResponse } from '@/lib/api/after';
import { withOwner } from '@/lib/api/handlers';
import { parseVideoId } from '@/lib/schemas/video';
import { deleteVideo } from '@/lib/videos/control';
import { removeVideoFiles } from '@/lib/videos/remove-files';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const DELETE = withOwner<{ id: string }>('DELETE /api/video/[id]', async (_req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  await deleteVideo(app.db, ownerId, id, app.now());
  afterResponse(async () => void (await removeVideoFiles(app.storage, id)));
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
});
