// GET, POST and DELETE /api/video/[id]/share - the owner's public link to a finished video: read it, make it (idempotent), revoke it
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import { ownOrigin } from '@/lib/http/origin';
import type { Body, shareLinkSchema } from '@/lib/schemas/responses';
import { parseVideoId } from '@/lib/schemas/video';
import { activeShare, createShare, revokeShare, sharePath } from '@/lib/videos/share';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const NO_STORE = { 'cache-control': 'no-store' };

/** The link as the owner addressed this app, so it opens wherever they copied it from. */
const linkFor = (req: Request, trustForwarded: boolean, token: string) => `${ownOrigin(req, trustForwarded)}${sharePath(token)}`;

export const GET = withOwner<{ id: string }>('GET /api/video/[id]/share', async (req, { app, ownerId, params }) => {
  const token = await activeShare(app.db, ownerId, parseVideoId(params.id), app.secret);
  return json({ url: token ? linkFor(req, app.config.trustForwarded, token) : null } satisfies Body<typeof shareLinkSchema>, { headers: NO_STORE });
});

export const POST = withOwner<{ id: string }>('POST /api/video/[id]/share', async (req, { app, ownerId, params }) => {
  const share = await createShare(app.db, ownerId, parseVideoId(params.id), app.secret, app.now());
  return json({ url: linkFor(req, app.config.trustForwarded, share.token) } satisfies Body<typeof shareLinkSchema>, { status: share.created ? 201 : 200, headers: NO_STORE });
});

export const DELETE = withOwner<{ id: string }>('DELETE /api/video/[id]/share', async (_req, { app, ownerId, params }) => {
  await revokeShare(app.db, ownerId, parseVideoId(params.id), app.now());
  return new Response(null, { status: 204, headers: NO_STORE });
});
