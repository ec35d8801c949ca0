// POST /api/video/[id]/cancel - stops a queued or running video; a running step aborts within one heartbeat
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { parseVideoId } from '@/lib/schemas/video';
import { cancelVideo } from '@/lib/videos/control';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/cancel', async (_req, { app, ownerId, params }) => {
  const result = await cancelVideo(app.db, ownerId, parseVideoId(params.id), app.now(), app.config.taskPolicies.webhook.maxAttempts);
  return json(result, { headers: { 'cache-control': 'no-store' } });
});
