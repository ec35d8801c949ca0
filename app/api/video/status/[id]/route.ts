// GET /api/video/status/[id] - the polling route: progress, scenes, URLs, error and time left, with ETag/304
import { withOwner } from '@/lib/api/handlers';
import { videoStatus, videoStatusTag } from '@/lib/api/video-status';
import { parseVideoId } from '@/lib/schemas/video';
import { etagMatches } from '@/lib/videos/etag';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// no-cache, not no-store: the browser keeps the last answer and revalidates it on every poll, so an
// unchanged video costs a 304 with no body. private: it is one owner's video.
const CACHE_CONTROL = 'private, no-cache';

export const GET = withOwner<{ id: string }>('GET /api/video/status/[id]', async (req, { app, ownerId, params }) => {
  const id = parseVideoId(params.id);
  // A poll that holds a tag is checked against the version alone: the tag is computed from what the
  // body is made of, so an unchanged video is answered before anything else is read, built or signed.
  const ifNoneMatch = req.headers.get('if-none-match');
  if (ifNoneMatch) {
    const etag = await videoStatusTag(app, ownerId, id);
    if (etagMatches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers: { 'cache-control': CACHE_CONTROL, etag } });
  }
  const { body, etag } = await videoStatus(app, ownerId, id);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'cache-control': CACHE_CONTROL, etag, 'content-type': 'application/json' } });
});
