// Filesystem-backed Storage for local runs and tests. Each object is two files under root: the bytes
// at <key> and a JSON sidecar at <key>.meta.json, each replaced atomically by rename.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@/lib/errors';
import { removeQuietly, unlinkIfPresent, writeTemp, type PutBody } from './atomic';
import { assertValidKey, META_SUFFIX } from './keys';
import { toStoredObject, type ObjectMeta } from './local-meta';
import { listLocal } from './local-list';
import { assertByteRange, openObject, type ByteRange, type OpenedObject } from './local-open';
import { resolveInside } from './local-paths';
import { assertPutInput, commitObject } from './local-write';
import { assertSigningSecret, fileRoutePath, signPath } from './signing';
import type { ListOptions, ListResult, PutOptions, Storage, StoredObject, UrlOptions } from './types';

export interface LocalStorageOptions {
  root: string;
  secret: string;
  now?: () => Date;
  defaultTtlSeconds?: number;
}

export class LocalStorage implements Storage {
  readonly kind = 'local' as const;
  readonly root: string;
  private readonly secret: string;
  private readonly now: () => Date;
  private readonly defaultTtlSeconds: number;

  constructor(opts: LocalStorageOptions) {
    assertSigningSecret(opts.secret);
    this.root = path.resolve(/* turbopackIgnore: true */ opts.root);
    this.secret = opts.secret;
    this.now = opts.now ?? (() => new Date());
    this.defaultTtlSeconds = assertTtl(opts.defaultTtlSeconds ?? 3600);
  }

  async put(key: string, body: PutBody, opts: PutOptions): Promise<StoredObject> {
    const paths = this.paths(key);
    assertPutInput(body, opts);
    const { tempPath, size } = await writeTemp(paths.data, body);
    const meta: ObjectMeta = {
      contentType: opts.contentType,
      access: opts.access,
      size,
      uploadedAt: this.now().toISOString(),
      version: randomUUID(),
    };
    await commitObject(paths, tempPath, meta);
    return toStoredObject(key, meta, size);
  }

  async head(key: string): Promise<StoredObject | null> {
    const opened = await this.open(key);
    await opened?.close();
    return opened?.info ?? null;
  }

  async del(key: string | string[]): Promise<void> {
    // Validate every key before deleting any, so a bad batch changes nothing.
    const all = (Array.isArray(key) ? key : [key]).map((k) => this.paths(k));
    for (const paths of all) {
      await unlinkIfPresent(paths.meta); // without its sidecar the object is already gone to readers
      await unlinkIfPresent(paths.data);
    }
  }

  async download(key: string, destPath: string): Promise<void> {
    await fs.mkdir(path.dirname(destPath), { recursive: true });
    const opened = await this.open(key);
    if (!opened) throw notFound();
    try {
      await pipeline(opened.stream(), createWriteStream(destPath));
    } catch (err) {
      await removeQuietly(destPath); // a half-written file would only confuse ffmpeg later
      throw err;
    }
  }

  async url(key: string, opts: UrlOptions = {}): Promise<string> {
    // Status polls sign several keys per request; trusting the caller's access hint saves a file read each.
    const access = opts.access ?? (await this.head(key))?.access;
    if (!access) throw notFound();
    if (access === 'public') return opts.download ? `${fileRoutePath(key)}?dl=1` : fileRoutePath(key);
    // An absolute expiry lets callers round to fixed boundaries so repeated calls yield the same URL.
    const expiresAt =
      opts.expiresAt ?? Math.floor(this.now().getTime() / 1000) + assertTtl(opts.expiresInSeconds ?? this.defaultTtlSeconds);
    return signPath(key, { secret: this.secret, expiresAt, download: opts.download === true });
  }

  /** Whole objects under prefix, sorted by key; sidecars and temp files are never listed. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    return listLocal(this.root, prefix, opts);
  }

  /** Raw bytes with no metadata or access check; serving code should prefer open(), which pins a version. */
  openRead(key: string, range?: ByteRange): Readable {
    const { data } = this.paths(key);
    if (range) assertByteRange(range);
    return createReadStream(data, range ? { start: range.start, end: range.end } : {});
  }

  /** Metadata plus an open handle on the matching bytes, or null if the object does not exist. */
  open(key: string): Promise<OpenedObject | null> {
    const { data, meta } = this.paths(key);
    return openObject(key, data, meta);
  }

  private paths(key: string): { data: string; meta: string } {
    assertValidKey(key);
    return { data: resolveInside(this.root, key), meta: resolveInside(this.root, key + META_SUFFIX) };
  }
}

function assertTtl(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new AppError('bad_request', 'Link lifetime must be a positive whole number of seconds.');
  }
  return seconds;
}

function notFound(): AppError {
  return new AppError('not_found', 'File not found.');
}

/** The app object is built in one bundle (instrumentation) and read in others (routes), so class identity differs. */
export function isLocalStorage(s: Storage): s is LocalStorage {
  return s.kind === 'local';
}
