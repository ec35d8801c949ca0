// The put() half of LocalStorage: input checks and the order in which an overwrite lands on disk.
import fs from 'node:fs/promises';
import { AppError } from '@/lib/errors';
import { removeQuietly, type PutBody } from './atomic';
import { readMeta, writeMeta, type ObjectMeta } from './local-meta';
import type { PutOptions } from './types';

const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/; // printable ASCII: it is echoed into a header

export function assertPutInput(body: PutBody, opts: PutOptions): void {
  const isFileRef =
    typeof body === 'object' && body !== null && typeof (body as { filePath?: unknown }).filePath === 'string';
  if (typeof body !== 'string' && !Buffer.isBuffer(body) && !isFileRef) {
    throw new AppError('bad_request', 'put() body must be a Buffer, a string or { filePath }.');
  }
  if (typeof opts?.contentType !== 'string' || !CONTENT_TYPE.test(opts.contentType)) {
    throw new AppError('bad_request', 'contentType must be printable ASCII, at most 255 characters.');
  }
  if (opts.access !== 'public' && opts.access !== 'private') {
    throw new AppError('bad_request', 'access must be "public" or "private".');
  }
}

/**
 * Moves a fully written temp file and its new sidecar into place. The stricter half lands first
 * (private metadata before bytes, public bytes before metadata), so together with openObject's
 * version check, bytes are never visible under looser access than intended, even between renames.
 */
export async function commitObject(
  paths: { data: string; meta: string },
  tempPath: string,
  meta: ObjectMeta,
): Promise<void> {
  try {
    if (meta.access === 'private') {
      const previous = await readMeta(paths.meta);
      await writeMeta(paths.meta, meta);
      try {
        await fs.rename(tempPath, paths.data);
      } catch (err) {
        // The old bytes are still in place, so put back the sidecar that describes them.
        await (previous ? writeMeta(paths.meta, previous) : removeQuietly(paths.meta));
        throw err;
      }
    } else {
      await fs.rename(tempPath, paths.data);
      await writeMeta(paths.meta, meta);
    }
  } finally {
    await removeQuietly(tempPath); // no-op once renamed
  }
}
