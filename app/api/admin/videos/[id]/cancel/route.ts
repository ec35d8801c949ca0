// POST /api/admin/videos/[id]/cancel - stops any owner's queued or running video (audited)
import { cancelAction } from '@/lib/admin/actions';
import { afterResponse } from '@/lib/api/after';
import { withAdmin } from '@/lib/api/admin';
import { json } from '@/lib/api/respond';
import { parseVideoId } from '@/lib/schemas/video';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withAdmin<{ id: string }>('POST /api/admin/videos/[id]/cancel', async (_req, { app, params }) => {
  const result = await cancelAction(app, parseVideoId(params.id), afterResponse);
  return json(result, { headers: { 'cache-control': 'no-store' } });
});
