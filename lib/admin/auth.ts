// Operator authentication: a Bearer ADMIN_TOKEN for API callers, or a session cookie for the page.
// The cookie holds an expiry and an HMAC of the token (never the token), so rotating ADMIN_TOKEN or
// SIGNING_SECRET ends every session. All comparisons are constant-time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readCookie } from '@/lib/auth/owner';

export const ADMIN_COOKIE = 'cf_admin';
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

function mac(token: string, secret: string, expires: number): string {
  return createHmac('sha256', secret).update(`admin:${expires}:${token}`).digest('base64url');
}

export function sessionValue(token: string, secret: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + ADMIN_SESSION_SECONDS;
  return `${expires}.${mac(token, secret, expires)}`;
}

export function verifySessionValue(value: string | undefined, token: string, secret: string, now: Date): boolean {
  if (!value) return false;
  const dot = value.indexOf('.');
  const expires = Number(value.slice(0, dot));
  if (dot <= 0 || !Number.isSafeInteger(expires)) return false;
  const valid = safeEqual(value.slice(dot + 1), mac(token, secret, expires));
  return valid && expires * 1000 > now.getTime();
}

export function hasSession(req: Request, token: string, secret: string, now: Date): boolean {
  let value: string | undefined;
  try {
    value = readCookie(req.headers.get('cookie'), ADMIN_COOKIE);
  } catch {
    return false; // a malformed %-escape in someone's cookie header is a forged session, not a 500
  }
  return verifySessionValue(value, token, secret, now);
}

/** Secure on Vercel (as the owner cookie is) and whenever the request itself came over https. */
export function cookieSecure(req: Request, onVercel: boolean): boolean {
  return onVercel || new URL(req.url).protocol === 'https:';
}

/** Set-Cookie for a new session: httpOnly, SameSite=Strict, so other sites can never send it. */
export function sessionCookie(value: string, secure: boolean): string {
  const attrs = [`${ADMIN_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${ADMIN_SESSION_SECONDS}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  const attrs = [`${ADMIN_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}
