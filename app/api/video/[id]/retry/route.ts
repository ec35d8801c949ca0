// POST /api/video/[id]/retry - re-queues only the failed or cancelled steps of a video and resumes it (a stopped review reopens)
import { kickAfterResponse } from '@/lib/api/after';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { resumeSteps } from '@/lib/pipeline/resume';
import type { Body, retriedSchema } from '@/lib/schemas/responses';
import { parseVideoId } from '@/lib/schemas/video';
import { retryVideo } from '@/lib/videos/control';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/retry', async (_req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  const { traceparent, ...result } = await retryVideo(app.db, ownerId, id, app.now(), resumeSteps(app.policies), app.policies.webhook.maxAttempts);
  kickAfterResponse(app.kicker, Math.min(result.requeued.length, app.config.concurrency), { traceparent });
  return json({ ...result, statusUrl: `/api/video/status/${id}` } satisfies Body<typeof retriedSchema>, { status: 202, headers: { 'cache-control': 'no-store' } });
});
