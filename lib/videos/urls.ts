// Signed URLs expire on fixed boundaries, so the same object yields the same URL for a while and the
// status route's ETag stays stable between polls (a fresh expiry every second would defeat 304s).
import type { Storage } from '@/lib/storage/types';

const BOUNDARY_SECONDS = 300;

export interface UrlSigner {
  /** Keys come from our own rows, which say what exists; posters are stored public, everything else private. */
  (key: string | null, opts?: { download?: boolean; access?: 'public' | 'private' }): Promise<string | null>;
  /** The expiry (unix seconds) every URL from this signer carries: part of the status route's ETag. */
  readonly expiresAt: number;
}

export function urlSigner(storage: Storage, now: Date, ttlSeconds: number): UrlSigner {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const expiresAt = Math.ceil((nowSeconds + ttlSeconds) / BOUNDARY_SECONDS) * BOUNDARY_SECONDS;
  const sign = async (key: string | null, opts?: { download?: boolean; access?: 'public' | 'private' }) =>
    key ? storage.url(key, { expiresAt, download: opts?.download, access: opts?.access ?? 'private' }) : null;
  return Object.assign(sign, { expiresAt });
}
