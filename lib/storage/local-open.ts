// Opening an object pins one version of its bytes: an open file handle survives a concurrent
// overwrite (rename swaps the directory entry, not the open inode), so size and body always agree.
import fs, { type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AppError } from '@/lib/errors';
import { isNotFound } from './atomic';
import { readMeta, toStoredObject } from './local-meta';
import type { StoredObject } from './types';

/** Inclusive byte offsets, as in fs.createReadStream and Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Call stream() once or close(), not both: the stream owns the file handle and closes it when done. */
export interface OpenedObject {
  readonly info: StoredObject;
  stream(range?: ByteRange): Readable;
  close(): Promise<void>;
}

const ATTEMPTS = 3;

export function assertByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range ${start}-${end}.`);
  }
}

/**
 * put() lands the stricter half of an overwrite first (private metadata before bytes, public bytes
 * before metadata). Reading the sidecar on both sides of the open and requiring the same version
 * means bytes are never served under looser access than they were stored with.
 */
export async function openObject(key: string, dataPath: string, metaPath: string): Promise<OpenedObject | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await readMeta(metaPath);
    if (!before) return null;
    const handle = await openIfPresent(dataPath);
    if (!handle) return null;
    try {
      const after = await readMeta(metaPath);
      const stat = await handle.stat();
      if (after?.version === before.version) {
        // A directory at the key path means some deeper key exists, not this one.
        if (stat.isFile()) return pinned(handle, toStoredObject(key, before, stat.size));
        await handle.close();
        return null;
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    await handle.close();
  }
  throw new AppError('conflict', 'This file is being replaced right now. Please try again.');
}

async function openIfPresent(filePath: string): Promise<FileHandle | null> {
  try {
    return await fs.open(filePath, 'r');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function pinned(handle: FileHandle, info: StoredObject): OpenedObject {
  let handedOff = false;
  return {
    info,
    stream(range?: ByteRange): Readable {
      if (handedOff) throw new Error('OpenedObject.stream() may only be called once.');
      if (range) assertByteRange(range);
      handedOff = true;
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async close(): Promise<void> {
      if (!handedOff) await handle.close();
    },
  };
}
