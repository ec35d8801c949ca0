// Defence in depth: even a key that slipped past assertValidKey must not resolve outside the root.
import path from 'node:path';
import { AppError } from '@/lib/errors';

/**
 * Resolves relativePath under root and refuses anything that lands outside it (or on root itself).
 * Deliberately independent of the key grammar so it still holds if that check is ever bypassed.
 */
export function resolveInside(root: string, relativePath: string): string {
  const base = path.resolve(/* turbopackIgnore: true */ root);
  if (typeof relativePath !== 'string' || relativePath.includes('\0')) throw outside();
  const resolved = path.resolve(/* turbopackIgnore: true */ base, relativePath);
  // Compare with a trailing separator so "/data/store-evil" does not pass as inside "/data/store".
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  if (!resolved.startsWith(prefix)) throw outside();
  return resolved;
}

function outside(): AppError {
  return new AppError('bad_request', 'Invalid storage key: it resolves outside the storage root.');
}
