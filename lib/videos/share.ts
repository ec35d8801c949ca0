// Public share links: a finished video gets at most one active link at a time, /s/<token>, that anyone
// holding it may watch without an identity, until its owner revokes it.
//
// Only the token's SHA-256 is stored (as for API tokens), so the table alone opens nothing. Sharing
// again must still answer with the same link, so the token is not random: it is an HMAC of the share's
// id under the app's signing secret, which the server can recompute and a reader of the database cannot.
// Revoking and sharing again makes a new share id, and so a new token; the old one stays a 404.
import { createHmac, randomUUID } from 'node:crypto';
import { hashToken } from '@/lib/auth/tokens';
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { dimensionsFor, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import type { UrlSigner } from './urls';
import type { VideoStatus } from './types';

/** What shareToken yields: 32 bytes of HMAC in base64url. Anything else is refused before any query. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function shareToken(secret: string, shareId: string): string {
  return createHmac('sha256', secret).update(`share:${shareId}`).digest('base64url');
}

export function sharePath(token: string): string {
  return `/s/${token}`;
}

interface Owned {
  status: VideoStatus;
  share_id: string | null;
  token_hash: string | null;
}

/** The owner's video with its active share, if any; a video of someone else is not found, as elsewhere. */
async function ownedVideo(db: Queryable, ownerId: string, videoId: string): Promise<Owned> {
  const r = await db.query<Owned>(
    `select v.status, s.id as share_id, s.token_hash
     from videos v left join video_shares s on s.video_id = v.id and s.revoked_at is null
     where v.id = $1::uuid and v.owner_id = $2::text and v.deleted_at is null`,
    [videoId, ownerId],
  );
  const row = r.rows[0];
  if (!row) throw new AppError('not_found', 'No video with this id.');
  return row;
}

/** The token of an active share, or null when the signing secret changed since it was made (see createShare). */
function tokenOf(secret: string, row: { share_id: string | null; token_hash: string | null }): string | null {
  if (!row.share_id) return null;
  const token = shareToken(secret, row.share_id);
  return hashToken(token) === row.token_hash ? token : null;
}

/** The active share's token, or null when the video is not shared. */
export async function activeShare(db: Queryable, ownerId: string, videoId: string, secret: string): Promise<string | null> {
  return tokenOf(secret, await ownedVideo(db, ownerId, videoId));
}

export interface CreatedShare {
  token: string;
  /** False when the video already had an active share, whose token this is. */
  created: boolean;
}

/** Shares a completed video of this owner, or answers with the share it already has. */
export async function createShare(
  db: Queryable, ownerId: string, videoId: string, secret: string, now: Date,
): Promise<CreatedShare> {
  const video = await ownedVideo(db, ownerId, videoId);
  if (video.status !== 'completed') {
    throw new AppError('conflict', `Only a finished video can be shared; this one is ${video.status}.`);
  }
  const existing = tokenOf(secret, video);
  if (existing) return { token: existing, created: false };
  if (video.share_id) {
    // Made under another signing secret: its token cannot be recomputed, so it cannot be handed out.
    // It is replaced, as a rotated secret replaces every signed link and session.
    await db.query('update video_shares set revoked_at = $2::timestamptz where id = $1::uuid and revoked_at is null', [video.share_id, now]);
  }
  const id = randomUUID();
  const token = shareToken(secret, id);
  const inserted = await db.query(
    `insert into video_shares (id, video_id, token_hash, created_at) values ($1::uuid, $2::uuid, $3::text, $4::timestamptz)
     on conflict (video_id) where revoked_at is null do nothing`,
    [id, videoId, hashToken(token), now],
  );
  if (inserted.rowCount === 1) return { token, created: true };
  // Another request shared it at the same moment: answer with that one.
  const winner = tokenOf(secret, await ownedVideo(db, ownerId, videoId));
  if (!winner) throw new AppError('conflict', 'This video was shared and changed at the same moment; try again.');
  return { token: winner, created: false };
}

/** Revokes the video's active share (if any): from now on its page answers 404. */
export async function revokeShare(db: Queryable, ownerId: string, videoId: string, now: Date): Promise<void> {
  const r = await db.query<{ found: number }>(
    `with v as (select id from videos where id = $1::uuid and owner_id = $2::text and deleted_at is null),
     revoked as (
       update video_shares set revoked_at = $3::timestamptz
       where video_id in (select id from v) and revoked_at is null
       returning id
     )
     select (select count(*) from v)::int as found, (select count(*) from revoked)::int as revoked`,
    [videoId, ownerId, now],
  );
  if (!r.rows[0]?.found) throw new AppError('not_found', 'No video with this id.');
}

/** What the public page shows: the video and its files, nothing about who made it. */
export interface SharedVideoView {
  topic: string;
  aspectRatio: AspectRatio;
  width: number;
  height: number;
  durationMs: number | null;
  /** BCP 47 tag of the narration and its captions. */
  language: string;
  videoUrl: string | null;
  posterUrl: string | null;
  captionsUrl: string | null;
}

interface SharedRow {
  id: string;
  topic: string;
  aspect_ratio: AspectRatio;
  resolution: Resolution;
  duration_ms: number | null;
  language: string;
  video_key: string | null;
  poster_key: string | null;
  captions_key: string | null;
}

/**
 * The video an active share link opens, or null: an unknown or revoked token, or a video that was deleted
 * (or is, for whatever reason, no longer completed). Read on every request, so a revoke takes effect at once.
 * signerFor is given the video's id, which spreads URL expiry boundaries per video (lib/videos/urls.ts).
 */
export async function loadSharedVideo(
  db: Queryable, token: string, signerFor: (videoId: string) => UrlSigner,
): Promise<SharedVideoView | null> {
  if (!TOKEN.test(token)) return null;
  const r = await db.query<SharedRow>(
    `select v.id, v.topic, v.aspect_ratio, v.resolution, v.duration_ms, v.language, v.video_key, v.poster_key, v.captions_key
     from video_shares s join videos v on v.id = s.video_id
     where s.token_hash = $1::text and s.revoked_at is null and v.deleted_at is null and v.status = 'completed'`,
    [hashToken(token)],
  );
  const v = r.rows[0];
  if (!v) return null;
  const sign = signerFor(v.id);
  const { width, height } = dimensionsFor(v.aspect_ratio, v.resolution);
  return {
    topic: v.topic,
    aspectRatio: v.aspect_ratio,
    width,
    height,
    durationMs: v.duration_ms,
    language: v.language,
    videoUrl: await sign(v.video_key),
    posterUrl: await sign(v.poster_key, { access: 'public' }),
    captionsUrl: await sign(v.captions_key),
  };
}
