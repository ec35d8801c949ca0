// POST /api/admin/tasks/requeue-dead - puts dead tasks back in the queue: all, or { videoId }'s (audited)
import { requeueDeadAction } from '@/lib/admin/actions';
import { readRequeueDead } from '@/lib/admin/schemas';
import { withAdmin } from '@/lib/api/admin';
import { afterResponse } from '@/lib/api/after';
import { json } from '@/lib/api/respond';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withAdmin('POST /api/admin/tasks/requeue-dead', async (req, { app }) => {
  const { videoId } = await readRequeueDead(req);
  const result = await requeueDeadAction(app, videoId ?? null, afterResponse);
  return json(result, { headers: { 'cache-control': 'no-store' } });
});
