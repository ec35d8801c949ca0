// POST /api/video/generate - accepts one video request or a batch, reserves credits, queues it and answers 202 at once
import { kickAfterResponse } from '@/lib/api/after';
import { parseWith, readJson } from '@/lib/api/body';
import { clientOf, withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { AppError } from '@/lib/errors';
import { admitGenerate } from '@/lib/limits/admit';
import { generateBatchSchema, generateVideoRequestSchema, idempotencyKeySchema } from '@/lib/schemas/video';
import { createVideos } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner('POST /api/video/generate', async (req, { app, ownerId, anonymous }) => {
  const rawKey = req.headers.get('idempotency-key');
  const keyCheck = rawKey === null ? null : idempotencyKeySchema.safeParse(rawKey);
  if (keyCheck && !keyCheck.success) {
    throw new AppError('bad_request', "The Idempotency-Key header must be 1–255 printable ASCII characters, without spaces or '#'.");
  }
  const raw = await readJson(req);
  // Parsed by shape rather than as a union, so errors name the field, not "no union member matched".
  const batch = Array.isArray(raw);
  const parsed = batch ? parseWith(generateBatchSchema, raw) : [parseWith(generateVideoRequestSchema, raw)];
  const requests = parsed.map((r, i) => resolveRequest(app.config, r, batch ? i : undefined));
  // Only a request that passed every check above counts against the client's limits.
  const now = app.now();
  const admission = await admitGenerate(app.db, app.config, { ownerId, anonymous, client: clientOf(req, app), now });
  const result = await createVideos(app.db, {
    ownerId,
    requests,
    idempotencyKey: keyCheck?.data,
    maxAttempts: app.policies.plan.maxAttempts,
    startingCredits: app.config.startingCredits,
    maxActive: app.config.maxActiveVideos,
    now,
  });
  if (result.created) kickAfterResponse(app.kicker, Math.min(requests.length, app.config.concurrency), { traceparent: result.traceparent });
  const accepted = result.videos.map((v) => ({ id: v.id, status: v.status, statusUrl: `/api/video/status/${v.id}`, costCredits: v.costCredits }));
  const headers: Record<string, string> = {
    'cache-control': 'no-store', ...admission.headers, ...(result.created ? {} : { 'idempotent-replayed': 'true' }),
  };
  if (batch) return json({ videos: accepted }, { status: 202, headers });
  return json(accepted[0], { status: 202, headers: { ...headers, location: accepted[0]!.statusUrl } });
});
