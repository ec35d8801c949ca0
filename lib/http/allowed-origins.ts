// ALLOWED_ORIGINS, the other sites allowed to send cookie-authenticated writes. Parsed here, without
// imports, because two readers need it: lib/config.ts for the API's cross-site check, and next.config.ts
// for the Server Actions' own check, which Next.js reads from its config before any app code runs.

/** "https://a.example, https://b.example" → normalised origins; anything that is not an http(s) origin throws. */
export function parseAllowedOrigins(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new Error(`ALLOWED_ORIGINS: ${o} is not an origin like https://app.example.com`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash) {
      throw new Error(`ALLOWED_ORIGINS: ${o} is not an origin like https://app.example.com`);
    }
    return url.origin.toLowerCase();
  });
}

/**
 * The hosts (with port, as an Origin header names them) Next.js lets post a Server Action from another
 * origin. A malformed ALLOWED_ORIGINS gives none here: the app refuses to start on it anyway (lib/config.ts
 * throws the reason), and a build must not fail on a runtime setting.
 */
export function serverActionOrigins(raw: string | undefined): string[] {
  try {
    return parseAllowedOrigins(raw).map((o) => new URL(o).host);
  } catch {
    return [];
  }
}
