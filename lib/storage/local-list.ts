// LocalStorage.list(): a sorted walk of the directory tree under root. Only whole objects are listed
// (bytes plus sidecar): sidecars, put()'s `<name>.~<uuid>.tmp` files and half-written objects are not.
// The cursor is the last key returned, so a page never depends on what was deleted before it.
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { isNotFound } from './atomic';
import { assertValidKey, META_SUFFIX } from './keys';
import { readMeta, toStoredObject } from './local-meta';
import { resolveInside } from './local-paths';
import type { ListOptions, ListResult, StoredObject } from './types';

/** The Blob API's cap per page, and our default. */
export const LIST_LIMIT_MAX = 1000;

/** Shared by both adapters: prefix is '' or a key prefix (it may end in '/'); limit is 1..1000. */
export function assertListInput(prefix: string, opts: ListOptions = {}): { limit: number } {
  const stem = typeof prefix === 'string' && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (stem !== '') assertValidKey(stem);
  const limit = opts.limit ?? LIST_LIMIT_MAX;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX) {
    throw new AppError('bad_request', `list() limit must be a whole number from 1 to ${LIST_LIMIT_MAX}.`);
  }
  return { limit };
}

export async function listLocal(root: string, prefix: string, opts: ListOptions = {}): Promise<ListResult> {
  const { limit } = assertListInput(prefix, opts);
  const cursor = opts.cursor ?? null;
  if (cursor !== null && !isKey(cursor)) throw new AppError('bad_request', 'Invalid list cursor.');
  const found: StoredObject[] = [];
  // One extra object tells whether another page exists.
  for await (const key of walk(root, prefix.slice(0, prefix.lastIndexOf('/') + 1), prefix, cursor)) {
    const object = await readObject(root, key);
    if (object) found.push(object);
    if (found.length > limit) break;
  }
  const objects = found.slice(0, limit);
  return { objects, cursor: found.length > limit ? objects[objects.length - 1]!.key : null };
}

interface Entry {
  /** The key of a file, or the key prefix of a directory (ending in '/'), so sorting orders keys. */
  rel: string;
  dir: boolean;
}

async function* walk(root: string, dirRel: string, prefix: string, cursor: string | null): AsyncGenerator<string> {
  const entries = (await readDir(dirRel === '' ? root : resolveInside(root, dirRel)))
    .filter((d) => (d.isFile() || d.isDirectory()) && isSegment(d.name)) // symlinks are never ours
    .map((d): Entry => ({ rel: dirRel + d.name + (d.isDirectory() ? '/' : ''), dir: d.isDirectory() }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const e of entries) {
    const inPrefix = e.rel.startsWith(prefix) || (e.dir && prefix.startsWith(e.rel));
    // A directory that is not an ancestor of the cursor holds only keys below it, or only above it.
    const afterCursor = cursor === null || e.rel > cursor || (e.dir && cursor.startsWith(e.rel));
    if (!inPrefix || !afterCursor) continue;
    if (e.dir) yield* walk(root, e.rel, prefix, cursor);
    else if (!e.rel.toLowerCase().endsWith(META_SUFFIX)) yield e.rel;
  }
}

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return []; // removed while we walked
    throw err;
  }
}

/** Null unless both halves are there: the same rule head() applies. */
async function readObject(root: string, key: string): Promise<StoredObject | null> {
  const data = resolveInside(root, key);
  try {
    const meta = await readMeta(data + META_SUFFIX);
    if (!meta) return null;
    const stat = await fs.lstat(data);
    return stat.isFile() ? toStoredObject(key, meta, stat.size) : null;
  } catch (err) {
    if (isNotFound(err)) return null;
    // One corrupt sidecar must not hide every other object from listing (and from cleanup).
    log.warn('storage list skipped an unreadable object', { key, err: (err as Error).message });
    return null;
  }
}

function isKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

/** Temp files carry '~', which no key segment may contain; sidecars are filtered by the caller. */
function isSegment(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..';
}
