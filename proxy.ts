// Issues each new browser an anonymous owner identity before any page or route runs: an httpOnly,
// SameSite=Lax, HMAC-signed session cookie (Secure, and __Host- prefixed, under https). Requests with an
// API token pass through untouched; routes check the token.
import { NextResponse, type NextRequest } from 'next/server';
import { resolveOwner } from '@/lib/auth/owner';
import { loadConfig, type Config } from '@/lib/config';
import { AppError, errorBody } from '@/lib/errors';
import { decodeOrUndefined } from '@/lib/http/decode';
import { cookieSecure, crossSiteRefusal } from '@/lib/http/origin';
import { resolveSecret } from '@/lib/secret';

let appConfig: Config | undefined;
let secret: string | undefined;

export function proxy(request: NextRequest): NextResponse {
  // Next.js fails with a bare 500 when it decodes a path with a malformed %-escape for its routes; nothing
  // could exist at such a path, so it is a 404 (JSON under /api), answered here with the usual headers.
  if (decodeOrUndefined(request.nextUrl.pathname) === undefined) return malformedPath(request);
  if (request.nextUrl.pathname.startsWith('/api/')) return NextResponse.next();
  appConfig ??= loadConfig();
  // A page takes a POST only as a Server Action (the Generate form without JavaScript). Refused here, from
  // another site, with the same rule and answer as the API's cookie-authenticated writes: Next.js's own
  // check would only fail it with a bare 500.
  const refusal = crossSiteRefusal(request, appConfig);
  if (refusal) return forbidden(refusal);
  if (/^Bearer\s/i.test(request.headers.get('authorization') ?? '')) return NextResponse.next();
  secret ??= resolveSecret(appConfig);
  const owner = resolveOwner(request, secret, cookieSecure(request, appConfig));
  if (!owner.setCookie || !owner.cookiePair) return NextResponse.next();

  // The route that runs right after sees the new identity too, so the first request is not ownerless.
  const headers = new Headers(request.headers);
  headers.set('cookie', [request.headers.get('cookie'), owner.cookiePair].filter(Boolean).join('; '));
  const response = NextResponse.next({ request: { headers } });
  response.headers.append('set-cookie', owner.setCookie);
  // A shared cache must never hand one visitor's cookie to everyone, though the home page itself is static.
  response.headers.set('cache-control', 'private, no-store');
  return response;
}

function forbidden(message: string): NextResponse {
  return NextResponse.json(errorBody(new AppError('forbidden', message)), { status: 403, headers: { 'cache-control': 'no-store' } });
}

function malformedPath(request: NextRequest): NextResponse {
  if (request.nextUrl.pathname.startsWith('/api/')) {
    const err = new AppError('not_found', 'Nothing exists at this address: it has a malformed %-escape.');
    return NextResponse.json(errorBody(err), { status: 404, headers: { 'cache-control': 'no-store' } });
  }
  // Renders the app's own not-found page, with a 404 status.
  return NextResponse.rewrite(new URL('/_malformed-path', request.url));
}

export const config = {
  // Pages, and only those API paths that hold a '%': API routes resolve (and if needed issue) the same identity
  // in withOwner, so the proxy's per-request cost stays off the hot polling and enqueue paths.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)', '/api/(.*%.*)'],
};
