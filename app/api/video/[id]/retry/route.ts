// POST /api/video/[id]/retry - re-queues only the failed or cancelled steps of a video and resumes it (a stopped review reopens)
import { retryForOwner } from '@/lib/api/control';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import type { Body, retriedSchema } from '@/lib/schemas/responses';
import { parseVideoId } from '@/lib/schemas/video';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/retry', async (_req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  const result = await retryForOwner(app, ownerId, id);
  return json({ ...result, statusUrl: `/api/video/status/${id}` } satisfies Body<typeof retriedSchema>, { status: 202, headers: { 'cache-control': 'no-store' } });
});
