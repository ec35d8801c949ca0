// POST /api/admin/videos/[id]/retry - resumes any owner's failed or cancelled video (audited)
import { retryAction } from '@/lib/admin/actions';
import { withAdmin } from '@/lib/api/admin';
import { afterResponse } from '@/lib/api/after';
import { json } from '@/lib/api/respond';
import { parseVideoId } from '@/lib/schemas/video';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withAdmin<{ id: string }>('POST /api/admin/videos/[id]/retry', async (_req, { app, params }) => {
  const result = await retryAction(app, parseVideoId(params.id), afterResponse);
  return json(result, { status: 202, headers: { 'cache-control': 'no-store' } });
});
