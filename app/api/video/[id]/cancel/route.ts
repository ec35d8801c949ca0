// POST /api/video/[id]/cancel - stops a queued, running or awaiting video (optionally only if still in a given status); a running step aborts within one heartbeat
import { parseWith, readJson } from '@/lib/api/body';
import { cancelForOwner } from '@/lib/api/control';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import type { Body, cancelledSchema } from '@/lib/schemas/responses';
import { cancelBodySchema, parseVideoId } from '@/lib/schemas/video';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/cancel', async (req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  // The body is optional: without one (no Content-Type), the cancel is unconditional.
  const { ifStatus } = req.headers.has('content-type') ? parseWith(cancelBodySchema, await readJson(req)) : {};
  const result = await cancelForOwner(app, ownerId, id, ifStatus);
  return json(result satisfies Body<typeof cancelledSchema>, { headers: { 'cache-control': 'no-store' } });
});
