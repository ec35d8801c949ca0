// POST /api/admin/process-next - the manual queue trigger: claims and runs one task, and says what ran (audited)
import { processNextAction } from '@/lib/admin/actions';
import { withAdmin } from '@/lib/api/admin';
import { afterResponse } from '@/lib/api/after';
import { json } from '@/lib/api/respond';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
// As for /api/video/process-queue: PROCESS_BUDGET_MS keeps the step well inside it.
export const maxDuration = 300;

export const POST = withAdmin('POST /api/admin/process-next', async (_req, { app }) => {
  return json(await processNextAction(app, afterResponse), { headers: { 'cache-control': 'no-store' } });
});
