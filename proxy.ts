// Issues each new browser an anonymous owner identity before any page or route runs: an httpOnly,
// SameSite=Lax, HMAC-signed session cookie (Secure in production). Requests with an API token pass
// through untouched; routes check the token.
import { NextResponse, type NextRequest } from 'next/server';
import { OWNER_COOKIE, issueOwnerCookie, verifyOwnerCookie } from '@/lib/auth/owner';
import { loadConfig } from '@/lib/config';
import { AppError, errorBody } from '@/lib/errors';
import { resolveSecret } from '@/lib/secret';

let secret: string | undefined;
let secure: boolean | undefined;

export function proxy(request: NextRequest): NextResponse {
  // Next.js fails with a bare 500 when it decodes a path with a malformed %-escape for its routes; nothing
  // could exist at such a path, so it is a 404 (JSON under /api), answered here with the usual headers.
  if (!decodes(request.nextUrl.pathname)) return malformedPath(request);
  if (request.nextUrl.pathname.startsWith('/api/')) return NextResponse.next();
  if (/^Bearer\s/i.test(request.headers.get('authorization') ?? '')) return NextResponse.next();
  secret ??= resolveSecret(loadConfig());
  secure ??= process.env.NODE_ENV === 'production';
  if (verifyOwnerCookie(request.cookies.get(OWNER_COOKIE)?.value, secret)) return NextResponse.next();

  const cookie = issueOwnerCookie(secret, secure && !isLocalhost(request));
  // The route that runs right after sees the new identity too, so the first request is not ownerless.
  const headers = new Headers(request.headers);
  headers.set('cookie', [request.headers.get('cookie'), `${OWNER_COOKIE}=${cookie.value}`].filter(Boolean).join('; '));
  const response = NextResponse.next({ request: { headers } });
  response.headers.append('set-cookie', cookie.header);
  // A shared cache must never hand one visitor's cookie to everyone (pages that set it are dynamic, see app/page.tsx).
  response.headers.set('cache-control', 'private, no-store');
  return response;
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function malformedPath(request: NextRequest): NextResponse {
  if (request.nextUrl.pathname.startsWith('/api/')) {
    const err = new AppError('not_found', 'Nothing exists at this address: it has a malformed %-escape.');
    return NextResponse.json(errorBody(err), { status: 404, headers: { 'cache-control': 'no-store' } });
  }
  // Renders the app's own not-found page, with a 404 status.
  return NextResponse.rewrite(new URL('/_malformed-path', request.url));
}

/** `next start` on localhost is plain http, where a Secure cookie would never come back. */
function isLocalhost(request: NextRequest): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(request.nextUrl.hostname) && request.nextUrl.protocol === 'http:';
}

export const config = {
  // Pages, and only those API paths that hold a '%': API routes resolve (and if needed issue) the same identity
  // in withOwner, so the proxy's per-request cost stays off the hot polling and enqueue paths.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)', '/api/(.*%.*)'],
};
