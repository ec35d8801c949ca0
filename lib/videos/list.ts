// "Your videos": newest first, keyset-paginated so pages stay fast and stable while videos are added,
// optionally narrowed to a topic search and to some statuses.
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

/** A LIKE pattern that matches `text` literally anywhere: its own %, _ and \ lose their wildcard meaning. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

export interface ListOptions {
  cursor?: string;
  limit: number;
  /** A case-insensitive substring of the topic (already trimmed; blank is no search). */
  q?: string;
  /** Only videos in one of these statuses. */
  status?: readonly VideoStatus[];
}

// The filters are always in the text and switched off by a null parameter. Statements here are
// unnamed, so PostgreSQL plans each call with its values: `null is null or …` folds away, and a search
// leaves `owner_id = … and topic ilike …`, which the trigram index videos_owner_topic_trgm (0019)
// serves. Exported with its parameters so the plan test explains exactly this statement.
export const LIST_VIDEOS_SQL = `select id, topic, status, progress, step_label, aspect_ratio, poster_key, created_at
     from videos
     where owner_id = $1::text and deleted_at is null
       and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::uuid))
       and ($5::text is null or topic ilike $5::text)
       and ($6::text[] is null or status = any($6::text[]))
     order by created_at desc, id desc
     limit $4::int`;

export function listVideosParams(ownerId: string, opts: ListOptions): unknown[] {
  const cur = opts.cursor ? decodeCursor(opts.cursor) : null;
  return [
    ownerId,
    cur?.c ?? null,
    cur?.i ?? null,
    opts.limit + 1,
    opts.q ? containsPattern(opts.q) : null,
    opts.status?.length ? [...opts.status] : null,
  ];
}

export async function listVideos(q: Queryable, ownerId: string, opts: ListOptions, sign: UrlSigner): Promise<VideoPage> {
  const r = await q.query<Row>(LIST_VIDEOS_SQL, listVideosParams(ownerId, opts));
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
