// POST /api/video/generate - accepts a video request, queues it and answers 202 at once
import { afterResponse } from '@/lib/api/after';
import { parseWith, readJson } from '@/lib/api/body';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { AppError } from '@/lib/errors';
import { generateVideoRequestSchema, idempotencyKeySchema } from '@/lib/schemas/video';
import { createVideo } from '@/lib/videos/create';
import { resolveRequest } from '@/lib/videos/resolve';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withOwner('POST /api/video/generate', async (req, { app, ownerId }) => {
  const rawKey = req.headers.get('idempotency-key');
  const keyCheck = rawKey === null ? null : idempotencyKeySchema.safeParse(rawKey);
  if (keyCheck && !keyCheck.success) {
    throw new AppError('bad_request', 'The Idempotency-Key header must be 1–255 printable ASCII characters.');
  }
  const request = resolveRequest(app.config, parseWith(generateVideoRequestSchema, await readJson(req)));
  const video = await createVideo(app.db, {
    ownerId,
    request,
    idempotencyKey: keyCheck?.data,
    maxAttempts: app.config.maxAttempts,
    now: app.now(),
  });
  if (video.created) afterResponse(() => app.kicker.kick(1));
  const statusUrl = `/api/video/status/${video.id}`;
  return json(
    { id: video.id, status: video.status, statusUrl },
    {
      status: 202,
      headers: { location: statusUrl, 'cache-control': 'no-store', ...(video.created ? {} : { 'idempotent-replayed': 'true' }) },
    },
  );
});
