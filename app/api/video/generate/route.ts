// POST /api/video/generate - accepts one video request or a batch, reserves credits, queues it and answers 202 at once
import { parseWith, readJson } from '@/lib/api/body';
import { acceptGenerate } from '@/lib/api/generate';
import { clientOf, withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { AppError } from '@/lib/errors';
import type { Body, generateAcceptedSchema, generateBatchAcceptedSchema } from '@/lib/schemas/responses';
import { generateBatchSchema, generateVideoRequestSchema, idempotencyKeySchema } from '@/lib/schemas/video';

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
  const requests = batch ? parseWith(generateBatchSchema, raw) : [parseWith(generateVideoRequestSchema, raw)];
  const result = await acceptGenerate(app, {
    ownerId, anonymous, client: clientOf(req, app), requests, batch, idempotencyKey: keyCheck?.data,
  });
  const accepted = result.videos.map((v): Body<typeof generateAcceptedSchema> => (
    { id: v.id, status: v.status, statusUrl: `/api/video/status/${v.id}`, costCredits: v.costCredits }));
  const headers: Record<string, string> = {
    'cache-control': 'no-store', ...result.headers, ...(result.created ? {} : { 'idempotent-replayed': 'true' }),
  };
  if (batch) return json({ videos: accepted } satisfies Body<typeof generateBatchAcceptedSchema>, { status: 202, headers });
  return json(accepted[0], { status: 202, headers: { ...headers, location: accepted[0]!.statusUrl } });
});
