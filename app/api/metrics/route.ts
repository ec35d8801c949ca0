// GET /api/metrics - Prometheus text exposition (0.0.4) of queue, video and step metrics, from the database
import { collectMetrics } from '@/lib/admin/metrics';
import { PROMETHEUS_CONTENT_TYPE, renderFamilies } from '@/lib/admin/prometheus';
import { withMetrics } from '@/lib/api/admin';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withMetrics('GET /api/metrics', async (_req, { app }) => {
  const body = renderFamilies(await collectMetrics(app.db, app.now()));
  return new Response(body, { headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' } });
});
