// Turns the SDK's failures that an operator must fix (token, store) into AppError('misconfigured'), so
// they surface as a plain set-up message instead of a generic failure that the queue would retry.
import {
  BlobAccessError,
  BlobStoreNotFoundError,
  BlobStoreSuspendedError,
} from '@vercel/blob';
import { AppError } from '@/lib/errors';

/** Use as .catch(blobFailure('upload videos/x/final.mp4')); always rethrows. */
export function blobFailure(action: string): (err: unknown) => never {
  return (err: unknown) => {
    if (err instanceof BlobAccessError) {
      throw new AppError(
        'misconfigured',
        `Vercel Blob refused to ${action}: BLOB_READ_WRITE_TOKEN is wrong, revoked or for another store.`,
      );
    }
    if (err instanceof BlobStoreNotFoundError || err instanceof BlobStoreSuspendedError) {
      throw new AppError('misconfigured', `Vercel Blob could not ${action}: ${err.message}`);
    }
    throw err;
  };
}

/** A read-write token names its store: vercel_blob_rw_<storeId>_<secret>. The SDK reads the id from it. */
export function assertBlobToken(token: string): void {
  const [vendor, product, kind, storeId, secret] = typeof token === 'string' ? token.split('_') : [];
  if (vendor !== 'vercel' || product !== 'blob' || kind !== 'rw' || !storeId || !secret) {
    throw new AppError(
      'misconfigured',
      'BLOB_READ_WRITE_TOKEN must be a Vercel Blob read-write token (vercel_blob_rw_...).',
    );
  }
}

// Vercel serves a public store's blobs from <store>.public.blob.vercel-storage.com, and access is fixed
// per store. A public store would publish every private video under a guessable URL.
const PUBLIC_STORE_HOST = /\.public\.blob\.vercel-storage\.com$/i;

export function isPublicStoreUrl(url: string): boolean {
  try {
    return PUBLIC_STORE_HOST.test(new URL(url).hostname);
  } catch {
    return false;
  }
}
