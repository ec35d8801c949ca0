// Anonymous ownership: each browser gets a random owner id in an HMAC-signed, httpOnly cookie.
// A forged or tampered cookie is ignored and replaced, so nobody can claim another owner's id.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeOrUndefined } from '@/lib/http/decode';

export const OWNER_COOKIE = 'cf_owner';
// Under https the cookie carries the __Host- prefix: the browser then refuses it unless it is Secure, set by
// this host itself and valid for the whole site, so no subdomain can plant or shadow an owner.
export const SECURE_OWNER_COOKIE = '__Host-cf_owner';

export function ownerCookieName(secure: boolean): string {
  return secure ? SECURE_OWNER_COOKIE : OWNER_COOKIE;
}
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
  /** Set-Cookie value to send when this request introduced a new owner, or moved one to the current name. */
  setCookie?: string;
  /** `name=value` of that cookie, for handing the identity to the route that runs next (proxy.ts). */
  cookiePair?: string;
  /** The same cookie's name and value, for setting it through an API rather than a header. */
  cookie?: { name: string; value: string };
}

/** The owner cookie's attributes, for code that sets it through an API (a Server Action's cookies()) rather than a header. */
export function ownerCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax', maxAge: ONE_YEAR, secure } as const;
}

/** The owner cookie for `id` (a new anonymous owner when omitted): the value and the full Set-Cookie header. */
export function issueOwnerCookie(secret: string, secure: boolean, id = `anon_${randomUUID()}`): {
  id: string; name: string; value: string; header: string;
} {
  const value = `${id}.${sign(id, secret)}`;
  const name = ownerCookieName(secure);
  const attrs = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${ONE_YEAR}`];
  if (secure) attrs.push('Secure');
  return { id, name, value, header: attrs.join('; ') };
}

/**
 * The request's owner. An owner from before the __Host- prefix (the plain cookie, under https) keeps its
 * id and videos, and gets the cookie again under the current name.
 */
export function resolveOwner(req: Request, secret: string, secure: boolean): Owner {
  const header = req.headers.get('cookie');
  const current = verifyOwnerCookie(readCookie(header, ownerCookieName(secure)), secret);
  if (current) return { id: current };
  const legacy = secure ? verifyOwnerCookie(readCookie(header, OWNER_COOKIE), secret) : null;
  const issued = issueOwnerCookie(secret, secure, legacy ?? undefined);
  return {
    id: issued.id, setCookie: issued.header, cookiePair: `${issued.name}=${issued.value}`, cookie: { name: issued.name, value: issued.value },
  };
}
