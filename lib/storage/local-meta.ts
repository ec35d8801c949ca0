// The sidecar holds what the filesystem cannot: content type, access and upload time. Size is kept for
// the record, but readers take it from the open data file, which is the truth for the bytes they send.
import fs from 'node:fs/promises';
import { z } from 'zod';
import { isNotFound, writeFileAtomic } from './atomic';
import type { StoredObject } from './types';

const metaSchema = z.object({
  contentType: z.string().min(1),
  access: z.enum(['public', 'private']),
  size: z.number().int().nonnegative(),
  uploadedAt: z.string().datetime(),
  /** Fresh on every put, so a reader can tell whether the object changed under it. */
  version: z.string().min(1),
});

export type ObjectMeta = z.infer<typeof metaSchema>;

export async function readMeta(metaPath: string): Promise<ObjectMeta | null> {
  let text: string;
  try {
    text = await fs.readFile(metaPath, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const parsed = metaSchema.safeParse(safeJson(text));
  // Sidecars are only ever written whole, so a bad one means tampering or a bug: fail loudly.
  if (!parsed.success) throw new Error(`Corrupt storage metadata at ${metaPath}`);
  return parsed.data;
}

export function writeMeta(metaPath: string, meta: ObjectMeta): Promise<void> {
  return writeFileAtomic(metaPath, JSON.stringify(meta));
}

export function toStoredObject(key: string, meta: ObjectMeta, size: number): StoredObject {
  return {
    key,
    size,
    contentType: meta.contentType,
    access: meta.access,
    uploadedAt: new Date(meta.uploadedAt),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
