// GET /api/video/status/[id] - the polling route: progress, scenes, URLs, error and time left, with ETag/304
import { withOwner } from '@/lib/api/handlers';
import { parseVideoId } from '@/lib/schemas/video';
import { urlSigner } from '@/lib/videos/urls';
import { estimateRemainingMs } from '@/lib/videos/eta';
import { cachedStepStats } from '@/lib/videos/eta-cache';
import { statusEtag, etagMatches } from '@/lib/videos/etag';
import { terminalStatuses } from '@/lib/videos/types';
import { loadVideoState, toVideoView } from '@/lib/videos/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// no-cache, not no-store: the browser keeps the last answer and revalidates it on every poll, so an
// unchanged video costs a 304 with no body. private: it is one owner's video.
const CACHE_CONTROL = 'private, no-cache';

export const GET = withOwner<{ id: string }>('GET /api/video/status/[id]', async (req, { app, ownerId, params }) => {
  const state = await loadVideoState(app.db, ownerId, parseVideoId(params.id));
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds);
  const running = !terminalStatuses.includes(state.row.status);
  const etaMs = running
    ? estimateRemainingMs(
        { status: state.row.status, sceneCount: state.row.scene_count, scenes: state.scenes },
        await cachedStepStats(app.db, app.now()),
        { concurrency: app.config.concurrency },
      )
    : null;
  // The tag is computed from what the body is made of, so an unchanged video is answered before the
  // body is built, its URLs signed or anything hashed.
  const etag = statusEtag(state.version, sign.expiresAt, etaMs);
  const headers = { etag, 'cache-control': CACHE_CONTROL };
  if (etagMatches(req.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  const body = JSON.stringify({ ...(await toVideoView(state, sign)), etaMs });
  return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
});
