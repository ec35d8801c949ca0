// Admin sessions on the server: one row per sign-in. A cookie is good only while its row is live, so
// signing out ends the session at once, wherever the cookie was copied to.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@/lib/db/types';
import { ADMIN_SESSION_SECONDS, sessionIdOf, sessionValue } from './auth';

/** Starts a session and returns its cookie value. Expired rows go at the same time, so the table stays small. */
export async function startSession(db: Queryable, token: string, secret: string, now: Date): Promise<string> {
  const id = randomUUID();
  await db.query(
    `with gone as (delete from admin_sessions where expires_at < $2::timestamptz)
     insert into admin_sessions (id, created_at, expires_at) values ($1::uuid, $2::timestamptz, $3::timestamptz)`,
    [id, now, new Date(now.getTime() + ADMIN_SESSION_SECONDS * 1000)],
  );
  return sessionValue(id, token, secret, now);
}

export async function sessionIsLive(db: Queryable, id: string, now: Date): Promise<boolean> {
  const { rows } = await db.query<{ live: boolean }>(
    'select exists (select 1 from admin_sessions where id = $1::uuid and ended_at is null and expires_at > $2::timestamptz) as live',
    [id, now],
  );
  return rows[0]?.live === true;
}

/** True when the request carries the cookie of a live session. */
export async function hasLiveSession(db: Queryable, req: Request, token: string, secret: string, now: Date): Promise<boolean> {
  const id = sessionIdOf(req, token, secret, now);
  return id !== null && (await sessionIsLive(db, id, now));
}

/** Ends the session the request's cookie names, if any. */
export async function endSession(db: Queryable, req: Request, token: string, secret: string, now: Date): Promise<void> {
  const id = sessionIdOf(req, token, secret, now);
  if (id) await db.query('update admin_sessions set ended_at = $2::timestamptz where id = $1::uuid and ended_at is null', [id, now]);
}
