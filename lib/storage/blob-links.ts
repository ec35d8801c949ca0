// Expiring read links for private blobs, made with Vercel Signed URLs (@vercel/blob >= 2.8:
// issueSignedToken + presignUrl). The CDN checks the signature and expiry itself, so video bytes never
// pass through our functions. One read-only delegation covers the whole store and is reused until it
// would end before the link asked for; each link is then an HMAC computed locally, with no API call.
// The delegation's signing key never leaves the server, so a link holder cannot sign other pathnames.
import { issueSignedToken, presignUrl, type IssuedSignedToken } from '@vercel/blob';
import { AppError } from '@/lib/errors';

/** Vercel caps signed URLs (and the delegations behind them) at 7 days. */
export const MAX_BLOB_LINK_SECONDS = 7 * 24 * 60 * 60;
// Extra life for a fresh delegation, so links minted over the next hour reuse it.
const DELEGATION_SLACK_MS = 60 * 60 * 1000;

export class BlobLinkSigner {
  private delegation: Promise<IssuedSignedToken> | null = null;

  constructor(private readonly token: string) {}

  /** A GET URL for pathname that stops working at validUntilMs (unix ms). */
  async sign(pathname: string, validUntilMs: number): Promise<string> {
    // The SDK checks expiries against the real clock, so these checks do too.
    const nowMs = Date.now();
    if (!Number.isSafeInteger(validUntilMs) || validUntilMs <= nowMs) {
      throw new AppError('bad_request', 'A link must expire in the future.');
    }
    if (validUntilMs - nowMs > MAX_BLOB_LINK_SECONDS * 1000) {
      throw new AppError('bad_request', `Blob links can last at most ${MAX_BLOB_LINK_SECONDS} seconds.`);
    }
    const delegation = await this.delegationUntil(validUntilMs, nowMs);
    // presignUrl silently shortens a link to its delegation's end; delegationUntil rules that out.
    const { presignedUrl } = await presignUrl(delegation, {
      operation: 'get',
      pathname,
      access: 'private',
      validUntil: validUntilMs,
    });
    return presignedUrl;
  }

  private async delegationUntil(validUntilMs: number, nowMs: number): Promise<IssuedSignedToken> {
    const cached = await this.delegation?.catch(() => null); // a failed issue is retried, not cached
    if (cached && cached.validUntil >= validUntilMs) return cached;
    this.delegation = issueSignedToken({
      token: this.token,
      pathname: '*',
      operations: ['get'],
      validUntil: Math.min(validUntilMs + DELEGATION_SLACK_MS, nowMs + MAX_BLOB_LINK_SECONDS * 1000),
    });
    return this.delegation;
  }
}
