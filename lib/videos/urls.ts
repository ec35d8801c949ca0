// Signed URLs expire on fixed boundaries, so the same object yields the same URL for a while and the
// status route's ETag stays stable between polls (a fresh expiry every second would defeat 304s).
// Each video's boundaries are offset by its id: with one shared boundary, every poller of every
// finished video would get new URLs, and so a full 200 body instead of a 304, in the same second.
import { createHash } from 'node:crypto';
import type { Storage } from '@/lib/storage/types';

export const BOUNDARY_SECONDS = 300;

export interface UrlSigner {
  /** Keys come from our own rows, which say what exists; posters are stored public, everything else private. */
  (key: string | null, opts?: { download?: boolean; access?: 'public' | 'private' }): Promise<string | null>;
  /** The expiry (unix seconds) every URL from this signer carries: part of the status route's ETag. */
  readonly expiresAt: number;
}

/** The first boundary at least ttlSeconds after now (unix seconds), shifted by spreadKey's offset. */
export function urlExpiry(nowSeconds: number, ttlSeconds: number, spreadKey?: string): number {
  const offset = spreadKey ? createHash('sha1').update(spreadKey).digest().readUInt32BE(0) % BOUNDARY_SECONDS : 0;
  return Math.ceil((nowSeconds + ttlSeconds - offset) / BOUNDARY_SECONDS) * BOUNDARY_SECONDS + offset;
}

/** spreadKey: the video the URLs belong to (none for a list that mixes videos). */
export function urlSigner(storage: Storage, now: Date, ttlSeconds: number, spreadKey?: string): UrlSigner {
  const expiresAt = urlExpiry(Math.floor(now.getTime() / 1000), ttlSeconds, spreadKey);
  const sign = async (key: string | null, opts?: { download?: boolean; access?: 'public' | 'private' }) =>
    key ? storage.url(key, { expiresAt, download: opts?.download, access: opts?.access ?? 'private' }) : null;
  return Object.assign(sign, { expiresAt });
}
