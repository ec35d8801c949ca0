// GET /api/video/status/[id] - the polling route: progress, scenes, URLs, error and time left, with ETag/304
import { createHash } from 'node:crypto';
import { withOwner } from '@/lib/api/handlers';
import { parseVideoId } from '@/lib/schemas/video';
import { urlSigner } from '@/lib/videos/urls';
import { estimateRemainingMs } from '@/lib/videos/eta';
import { cachedStepStats } from '@/lib/videos/eta-cache';
import { terminalStatuses } from '@/lib/videos/types';
import { getVideoView } from '@/lib/videos/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

export const GET = withOwner<{ id: string }>('GET /api/video/status/[id]', async (req, { app, ownerId, params }) => {
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds);
  const view = await getVideoView(app.db, ownerId, parseVideoId(params.id), sign);
  const running = !terminalStatuses.includes(view.status);
  const etaMs = running
    ? estimateRemainingMs(view, await cachedStepStats(app.db, app.now()), { concurrency: app.config.concurrency })
    : null;
  const body = JSON.stringify({ ...view, etaMs });
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const headers = { etag, 'cache-control': 'no-store' };
  if (matches(req.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
});
