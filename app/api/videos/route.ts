// GET /api/videos - the caller's videos, newest first, with cursor pagination, a topic search (q) and a status filter
import { parseWith } from '@/lib/api/body';
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import type { Body, videoPageSchema } from '@/lib/schemas/responses';
import { listVideosQuerySchema } from '@/lib/schemas/video';
import { listVideos } from '@/lib/videos/list';
import { urlSigner } from '@/lib/videos/urls';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withOwner('GET /api/videos', async (req, { app, ownerId }) => {
  const query = parseWith(listVideosQuerySchema, Object.fromEntries(new URL(req.url).searchParams), 'query');
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds);
  const page = await listVideos(app.db, ownerId, query, sign);
  return json(page satisfies Body<typeof videoPageSchema>, { headers: { 'cache-control': 'no-store' } });
});
