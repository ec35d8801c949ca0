// Anonymous ownership: each browser gets a random owner id in an HMAC-signed, httpOnly cookie.
// A forged or tampered cookie is ignored and replaced, so nobody can claim another owner's id.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const OWNER_COOKIE = 'cf_owner';
const ONE_YEAR = 60 * 60 * 24 * 365;

function sign(ownerId: string, secret: string): string {
  return createHmac('sha256', secret).update(`owner:${ownerId}`).digest('base64url');
}

export function verifyOwnerCookie(value: string | undefined, secret: string): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(id, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

// A malformed %-escape is a cookie we never issued: treated as absent, so the caller replaces it.
function decodeOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeOrUndefined(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface Owner {
  id: string;
  /** Set-Cookie value to send when this request introduced a new owner. */
  setCookie?: string;
}

/** A new anonymous owner: the cookie value and the full Set-Cookie header. */
export function issueOwnerCookie(secret: string, secure: boolean): { id: string; value: string; header: string } {
  const id = `anon_${randomUUID()}`;
  const value = `${id}.${sign(id, secret)}`;
  const attrs = [`${OWNER_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${ONE_YEAR}`];
  if (secure) attrs.push('Secure');
  return { id, value, header: attrs.join('; ') };
}

export function resolveOwner(req: Request, secret: string, secure: boolean): Owner {
  const existing = verifyOwnerCookie(readCookie(req.headers.get('cookie'), OWNER_COOKIE), secret);
  if (existing) return { id: existing };
  const issued = issueOwnerCookie(secret, secure);
  return { id: issued.id, setCookie: issued.header };
}
