// POST /api/video/[id]/cancel - stops a queued or running video; a running step aborts within one heartbeat
import { afterResponse } from '@/lib/api/after';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { parseVideoId } from '@/lib/schemas/video';
import { cancelRemoteJobs } from '@/lib/videos/cancel-remote';
import { cancelVideo } from '@/lib/videos/control';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/cancel', async (_req, { app, ownerId, params }) => {
  const { remoteJobs, motion, ...result } = await cancelVideo(
    app.db, ownerId, parseVideoId(params.id), app.now(), app.policies.webhook.maxAttempts,
  );
  // Remote jobs (Runway) are stopped after the answer, so the person is not kept waiting on them.
  if (remoteJobs.length > 0) afterResponse(() => cancelRemoteJobs(app.providers, { motion, remoteJobs }));
  return json(result, { headers: { 'cache-control': 'no-store' } });
});
