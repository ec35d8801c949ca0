// POST /api/video/estimate - what a generate request (or batch) would cost in credits, and how long it would take
import { parseWith, readJson } from '@/lib/api/body';
import { clientOf, withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { estimateVideo } from '@/lib/credits/estimate';
import { enforceQuota, quotaOf } from '@/lib/limits/quota';
import type { Body, estimateResultSchema } from '@/lib/schemas/responses';
import { generateBatchSchema, generateVideoRequestSchema } from '@/lib/schemas/video';
import { resolveRequest } from '@/lib/videos/resolve';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner('POST /api/video/estimate', async (req, { app }) => {
  const raw = await readJson(req);
  const batch = Array.isArray(raw);
  const parsed = batch ? parseWith(generateBatchSchema, raw) : [parseWith(generateVideoRequestSchema, raw)];
  const items = parsed.map((r, i) => estimateVideo(resolveRequest(app.config, r, batch ? i : undefined)));
  // Counted once the body is valid: bad input is refused without touching the database.
  const limit = await enforceQuota(app.db, quotaOf(app.config, 'estimate'), clientOf(req, app), app.now(), 'estimates');
  return json(
    {
      credits: items.reduce((n, e) => n + e.credits, 0),
      estimatedSeconds: Math.max(...items.map((e) => e.estimatedSeconds)),
      items,
    } satisfies Body<typeof estimateResultSchema>,
    { headers: { 'cache-control': 'no-store', ...limit } },
  );
});
