// POST /api/video/[id]/approve - approves the scenes of a video awaiting review, which goes on to render them
import { kickAfterResponse } from '@/lib/api/after';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { approveVideo } from '@/lib/pipeline/pause';
import type { approvedSchema, Body } from '@/lib/schemas/responses';
import { parseVideoId } from '@/lib/schemas/video';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/approve', async (_req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  const { enqueued, traceparent, ...result } = await approveVideo(app.db, ownerId, id, app.now(), app.policies);
  kickAfterResponse(app.kicker, Math.min(enqueued, app.config.concurrency), { traceparent });
  return json({ ...result, statusUrl: `/api/video/status/${id}` } satisfies Body<typeof approvedSchema>, { status: 202, headers: { 'cache-control': 'no-store' } });
});
