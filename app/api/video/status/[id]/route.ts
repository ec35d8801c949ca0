// GET /api/video/status/[id] - the polling route: progress, scenes, URLs and error, with ETag/304
import { createHash } from 'node:crypto';
import { withOwner } from '@/lib/api/handlers';
import { parseVideoId } from '@/lib/schemas/video';
import { urlSigner } from '@/lib/videos/urls';
import { getVideoView } from '@/lib/videos/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

export const GET = withOwner<{ id: string }>('GET /api/video/status/[id]', async (req, { app, ownerId, params }) => {
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds);
  const body = JSON.stringify(await getVideoView(app.db, ownerId, parseVideoId(params.id), sign));
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const headers = { etag, 'cache-control': 'no-store' };
  if (matches(req.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
});
