// Who is asking, for the code that runs without a Request of its own: server-rendered pages and Server
// Actions see only the request's headers. They stand in for the Request the shared checks read, so a page
// and an action decide the owner and the cross-site question exactly as withOwner does for routes.
import { cookies, headers } from 'next/headers';
import type { App } from '@/lib/app';
import { ownerCookieOptions, resolveOwner } from '@/lib/auth/owner';
import { AppError } from '@/lib/errors';
import { cookieSecure, crossSiteRefusal } from '@/lib/http/origin';
import { clientKey } from '@/lib/limits/client';

/**
 * A Request with the current request's method and headers. Its URL matters only for the scheme: Next.js
 * sets X-Forwarded-Proto on every request it serves (from the socket unless a client sent one), and builds
 * the URL that proxy.ts and route handlers see from that same header, so all of them agree on it.
 */
export function requestFromHeaders(h: Headers, method: string): Request {
  const scheme = h.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  let url: string;
  try {
    url = new URL(`${scheme}://${h.get('host') ?? 'localhost'}/`).toString();
  } catch {
    url = `${scheme}://localhost/`; // a Host header no URL can hold; ownOrigin reads the header itself anyway
  }
  return new Request(url, { method, headers: h });
}

/** A page's owner from the signed cookie (proxy.ts has issued one by now), or null when it holds none. */
export async function pageOwner(app: Pick<App, 'config' | 'secret'>): Promise<string | null> {
  const req = requestFromHeaders(await headers(), 'GET');
  const owner = resolveOwner(req, app.secret, cookieSecure(req, app.config));
  return owner.setCookie ? null : owner.id;
}

export interface ActionCaller {
  ownerId: string;
  /** Always true: the browser's forms act as the cookie's anonymous owner, never with an API token. */
  anonymous: true;
  /** The bucket its limits count in (lib/limits/client.ts). */
  client: string;
}

/**
 * A Server Action's caller, as withOwner decides it for a browser's POST: refused when it comes from
 * another site, else the owner the signed cookie names, issuing the cookie when it is missing.
 */
export async function actionCaller(app: Pick<App, 'config' | 'secret'>): Promise<ActionCaller> {
  const req = requestFromHeaders(await headers(), 'POST');
  const refusal = crossSiteRefusal(req, app.config);
  if (refusal) throw new AppError('forbidden', refusal);
  const secure = cookieSecure(req, app.config);
  const owner = resolveOwner(req, app.secret, secure);
  if (owner.cookie) (await cookies()).set(owner.cookie.name, owner.cookie.value, ownerCookieOptions(secure));
  return { ownerId: owner.id, anonymous: true, client: clientKey(req.headers, app.config) };
}
