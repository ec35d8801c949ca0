// GET /api/admin/overview - queue depth, running leases, failures, throughput, step timings and spend
import { adminOverview } from '@/lib/admin/overview';
import { withAdmin } from '@/lib/api/admin';
import { json } from '@/lib/api/respond';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withAdmin('GET /api/admin/overview', async (_req, { app }) => {
  return json(await adminOverview(app.db, app.now()), { headers: { 'cache-control': 'no-store' } });
});
