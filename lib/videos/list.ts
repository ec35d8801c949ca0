// "Your videos": newest first, keyset-paginated so pages stay fast and stable while videos are added.
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import type { AspectRatio } from '@/lib/media/dimensions';
import type { UrlSigner } from './urls';
import type { VideoPage, VideoStatus } from './types';

interface Cursor {
  c: string;
  i: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Exactly what encodeCursor writes (Date#toISOString), so anything else is refused before it
// reaches PostgreSQL, whose date parser is stricter and narrower than JavaScript's.
const ISO = /^(19|20)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ c: createdAt.toISOString(), i: id })).toString('base64url');
}

function roundTrips(iso: string): boolean {
  const t = Date.parse(iso);
  return !Number.isNaN(t) && new Date(t).toISOString() === iso;
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    // The date must survive a round trip: JavaScript rolls 2019-02-30 over to March, PostgreSQL refuses it.
    if (typeof parsed.c === 'string' && ISO.test(parsed.c) && roundTrips(parsed.c) &&
        typeof parsed.i === 'string' && UUID.test(parsed.i)) {
      return { c: parsed.c, i: parsed.i };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'The cursor is not one this API issued.');
}

interface Row {
  id: string;
  topic: string;
  status: VideoStatus;
  progress: number;
  step_label: string;
  aspect_ratio: AspectRatio;
  poster_key: string | null;
  created_at: Date;
}

export async function listVideos(
  q: Queryable,
  ownerId: string,
  opts: { cursor?: string; limit: number },
  sign: UrlSigner,
): Promise<VideoPage> {
  const cur = opts.cursor ? decodeCursor(opts.cursor) : null;
  const r = await q.query<Row>(
    `select id, topic, status, progress, step_label, aspect_ratio, poster_key, created_at
     from videos
     where owner_id = $1::text and deleted_at is null
       and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::uuid))
     order by created_at desc, id desc
     limit $4::int`,
    [ownerId, cur?.c ?? null, cur?.i ?? null, opts.limit + 1],
  );
  const page = r.rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    videos: await Promise.all(
      page.map(async (v) => ({
        id: v.id,
        topic: v.topic,
        status: v.status,
        progress: v.progress,
        stepLabel: v.step_label,
        aspectRatio: v.aspect_ratio,
        posterUrl: v.status === 'completed' ? await sign(v.poster_key, { access: 'public' }) : null,
        createdAt: v.created_at.toISOString(),
      })),
    ),
    nextCursor: r.rows.length > opts.limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}
