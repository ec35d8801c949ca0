// Where a request came from and how it reached us, decided one way for every caller: the proxy, the
// owner and admin cookies, and the cross-site check. Forwarded host and scheme headers are believed only
// where a proxy we trust sets them: on Vercel, or with TRUST_PROXY.

export interface OriginPolicy {
  /** Vercel, or TRUST_PROXY: X-Forwarded-Proto and X-Forwarded-Host describe the client's request. */
  trustForwarded: boolean;
  /** Origins besides the app's own that may send cookie-authenticated writes (ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
}

function firstValue(header: string | null): string | undefined {
  const v = header?.split(',')[0]?.trim();
  return v ? v : undefined;
}

/** The app's own origin as the client addressed it: scheme and host. */
export function ownOrigin(req: Request, trustForwarded: boolean): string {
  return originOf(req.headers, new URL(req.url), trustForwarded);
}

/**
 * The same, from a request's headers and the URL the server saw (a page has headers but no Request).
 * Without a trusted proxy the scheme is the one the server was reached with.
 */
export function originOf(headers: Headers, url: URL, trustForwarded: boolean): string {
  const proto = trustForwarded ? firstValue(headers.get('x-forwarded-proto')) : undefined;
  const host = (trustForwarded ? firstValue(headers.get('x-forwarded-host')) : undefined) ?? headers.get('host') ?? url.host;
  const scheme = proto === 'https' || proto === 'http' ? proto : url.protocol.replace(/:$/, '');
  return `${scheme}://${host.toLowerCase()}`;
}

/** The one rule for every cookie's Secure flag: the client reached us over https (always so on Vercel). */
export function cookieSecure(req: Request, opts: { onVercel: boolean; trustForwarded: boolean }): boolean {
  return opts.onVercel || ownOrigin(req, opts.trustForwarded).startsWith('https://');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Why a cookie-authenticated request must be refused as a cross-site write, or null. SameSite=Lax alone
 * lets a same-site subdomain through, and a form or text/plain fetch needs no preflight, so the browser's
 * own statements decide: Sec-Fetch-Site, and Origin when it is sent.
 */
export function crossSiteRefusal(req: Request, policy: OriginPolicy): string | null {
  if (!UNSAFE.has(req.method.toUpperCase())) return null;
  if (req.headers.get('sec-fetch-site') === 'cross-site') return 'This request came from another site.';
  const origin = req.headers.get('origin');
  if (origin === null) return null;
  const own = ownOrigin(req, policy.trustForwarded);
  if (origin.toLowerCase() === own || policy.allowedOrigins.includes(origin.toLowerCase())) return null;
  return `Requests from ${origin} may not change anything here.`;
}
