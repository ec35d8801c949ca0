// Writers fill a temp file beside the target and rename it over the target. rename() is atomic within
// a directory, so a reader sees the old file or the new one, never a torn write.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export type PutBody = Buffer | string | { filePath: string };

/** '~' can never appear in a valid key, so a temp name cannot collide with a real object or sidecar. */
export function tempPathFor(target: string): string {
  return `${target}.~${randomUUID()}.tmp`;
}

/** Writes body to a fresh temp file next to target. The caller renames it into place or removes it. */
export async function writeTemp(target: string, body: PutBody): Promise<{ tempPath: string; size: number }> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tempPath = tempPathFor(target);
  try {
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      await fs.writeFile(tempPath, body, { flag: 'wx' });
    } else {
      // Rendered videos can be large: stream them instead of reading them into memory.
      await pipeline(createReadStream(body.filePath), createWriteStream(tempPath, { flags: 'wx' }));
    }
    const { size } = await fs.stat(tempPath);
    return { tempPath, size };
  } catch (err) {
    await removeQuietly(tempPath);
    throw err;
  }
}

export async function writeFileAtomic(target: string, data: string): Promise<void> {
  const { tempPath } = await writeTemp(target, data);
  try {
    await fs.rename(tempPath, target);
  } finally {
    await removeQuietly(tempPath);
  }
}

/** For cleanup paths, where a second error would only hide the first. */
export async function removeQuietly(filePath: string): Promise<void> {
  await fs.rm(filePath, { force: true }).catch(() => undefined);
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  // ENOTDIR: a parent path component is a file, so nothing can exist below it.
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export async function unlinkIfPresent(filePath: string): Promise<void> {
  try {
    await fs.unlink(filePath);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
