// GET /api/video/status/[id] - the polling route: progress, scenes, URLs, error and time left, with ETag/304
import { withOwner } from '@/lib/api/handlers';
import { estimateVideo } from '@/lib/pipeline/eta-cache';
import type { Body, videoViewSchema } from '@/lib/schemas/responses';
import { parseVideoId } from '@/lib/schemas/video';
import { etagMatches, tagVideo } from '@/lib/videos/etag';
import { urlSigner } from '@/lib/videos/urls';
import { loadVideoState, loadVideoVersion, toVideoView, type VideoVersion } from '@/lib/videos/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// no-cache, not no-store: the browser keeps the last answer and revalidates it on every poll, so an
// unchanged video costs a 304 with no body. private: it is one owner's video.
const CACHE_CONTROL = 'private, no-cache';

export const GET = withOwner<{ id: string }>('GET /api/video/status/[id]', async (req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds, id);
  const etaDeps = { db: app.db, now: app.now(), concurrency: app.config.concurrency };
  const tagDeps = { estimate: (v: VideoVersion) => estimateVideo(etaDeps, v) };
  // A poll that holds a tag is checked against the version alone: the tag is computed from what the
  // body is made of, so an unchanged video is answered before anything else is read, built or signed.
  const ifNoneMatch = req.headers.get('if-none-match');
  if (ifNoneMatch) {
    const { etag } = await tagVideo(tagDeps, await loadVideoVersion(app.db, ownerId, id), sign.expiresAt);
    if (etagMatches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers: { 'cache-control': CACHE_CONTROL, etag } });
  }
  const state = await loadVideoState(app.db, ownerId, id);
  const { etag, etaMs } = await tagVideo(tagDeps, state, sign.expiresAt);
  const body = JSON.stringify({ ...(await toVideoView(state, sign)), etaMs } satisfies Body<typeof videoViewSchema>);
  return new Response(body, { status: 200, headers: { 'cache-control': CACHE_CONTROL, etag, 'content-type': 'application/json' } });
});
