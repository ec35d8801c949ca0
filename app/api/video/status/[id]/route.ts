// GET /api/video/status/[id] - the polling route: progress, scenes, URLs, error and time left, with ETag/304
import { withOwner } from '@/lib/api/handlers';
import type { App } from '@/lib/app';
import { parseVideoId } from '@/lib/schemas/video';
import { urlSigner } from '@/lib/videos/urls';
import { estimateRemainingMs } from '@/lib/videos/eta';
import { cachedStepStats } from '@/lib/videos/eta-cache';
import { statusEtag, etagMatches } from '@/lib/videos/etag';
import { terminalStatuses } from '@/lib/videos/types';
import { loadVideoState, loadVideoVersion, toVideoView, type VideoVersion } from '@/lib/videos/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// no-cache, not no-store: the browser keeps the last answer and revalidates it on every poll, so an
// unchanged video costs a 304 with no body. private: it is one owner's video.
const CACHE_CONTROL = 'private, no-cache';

async function tag(app: App, v: VideoVersion, expiresAt: number): Promise<{ etag: string; etaMs: number | null }> {
  const etaMs = terminalStatuses.includes(v.status)
    ? null
    : estimateRemainingMs(v, await cachedStepStats(app.db, app.now()), { concurrency: app.config.concurrency });
  return { etag: statusEtag(v.version, expiresAt, etaMs), etaMs };
}

export const GET = withOwner<{ id: string }>('GET /api/video/status/[id]', async (req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds);
  const headers = { 'cache-control': CACHE_CONTROL };
  // A poll that holds a tag is checked against the version alone: the tag is computed from what the
  // body is made of, so an unchanged video is answered before anything else is read, built or signed.
  const ifNoneMatch = req.headers.get('if-none-match');
  if (ifNoneMatch) {
    const current = await tag(app, await loadVideoVersion(app.db, ownerId, id), sign.expiresAt);
    if (etagMatches(ifNoneMatch, current.etag)) return new Response(null, { status: 304, headers: { ...headers, etag: current.etag } });
  }
  const state = await loadVideoState(app.db, ownerId, id);
  const { etag, etaMs } = await tag(
    app, { version: state.version, status: state.row.status, sceneCount: state.row.scene_count, scenes: state.scenes }, sign.expiresAt);
  const body = JSON.stringify({ ...(await toVideoView(state, sign)), etaMs });
  return new Response(body, { status: 200, headers: { ...headers, etag, 'content-type': 'application/json' } });
});
