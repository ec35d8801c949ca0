// Operator authentication: a Bearer ADMIN_TOKEN for API callers, or a session cookie for the page.
// The cookie holds a session id, an expiry and an HMAC over them and the token (never the token), so
// rotating ADMIN_TOKEN or SIGNING_SECRET ends every session; the session's row in admin_sessions is what
// signing out ends (./sessions.ts). All comparisons are constant-time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readCookie } from '@/lib/auth/owner';

export const ADMIN_COOKIE = 'cf_admin';
// Under https the session cookie carries the __Host- prefix, as the owner cookie does (lib/auth/owner.ts).
export const SECURE_ADMIN_COOKIE = '__Host-cf_admin';

function adminCookieName(secure: boolean): string {
  return secure ? SECURE_ADMIN_COOKIE : ADMIN_COOKIE;
}

/** The session cookie's value under either name: the one a sign-in over https set, or over http. */
export function adminCookieValue(read: (name: string) => string | undefined): string | undefined {
  return read(SECURE_ADMIN_COOKIE) ?? read(ADMIN_COOKIE);
}
export const ADMIN_SESSION_SECONDS = 12 * 60 * 60;

/** Compares two strings in constant time, whatever their lengths (both are hashed first). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** True when the Authorization header is exactly `Bearer <token>`. */
export function hasBearer(req: Request, token: string): boolean {
  return safeEqual(req.headers.get('authorization') ?? '', `Bearer ${token}`);
}

function mac(id: string, token: string, secret: string, expires: number): string {
  return createHmac('sha256', secret).update(`admin:${id}:${expires}:${token}`).digest('base64url');
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cookie value for session `id`, which expires ADMIN_SESSION_SECONDS after `now`. */
export function sessionValue(id: string, token: string, secret: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + ADMIN_SESSION_SECONDS;
  return `${id}.${expires}.${mac(id, token, secret, expires)}`;
}

/** The session id a cookie value names, when its HMAC holds and it has not expired; the row decides the rest. */
export function verifySessionValue(value: string | undefined, token: string, secret: string, now: Date): string | null {
  const [id, exp, given, ...rest] = (value ?? '').split('.');
  const expires = Number(exp);
  if (!id || !SESSION_ID.test(id) || given === undefined || rest.length > 0 || !Number.isSafeInteger(expires)) return null;
  const valid = safeEqual(given, mac(id, token, secret, expires));
  return valid && expires * 1000 > now.getTime() ? id : null;
}

/** The session id the request's cookie names, if it is well formed and signed (not yet checked against its row). */
export function sessionIdOf(req: Request, token: string, secret: string, now: Date): string | null {
  // readCookie treats a malformed %-escape as no cookie, so a forged header is a missing session, not a 500.
  const header = req.headers.get('cookie');
  return verifySessionValue(adminCookieValue((name) => readCookie(header, name)), token, secret, now);
}

/** Set-Cookie for a new session: httpOnly, SameSite=Strict, so other sites can never send it. */
export function sessionCookie(value: string, secure: boolean): string {
  const attrs = [`${adminCookieName(secure)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${ADMIN_SESSION_SECONDS}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  const attrs = [`${adminCookieName(secure)}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}
