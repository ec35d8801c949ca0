// Vercel Blob-backed Storage for deployments. Pathnames are the keys themselves (no random suffix).
//
// Access: Vercel Blob fixes public/private per *store*, when the store is created, not per blob; the
// SDK's per-call `access` must match the store. Private videos rule out a public store (every blob in
// one is world-readable), so this adapter requires a private store, always puts with 'private', and
// refuses to keep writing to a public one. Every object, posters included, is therefore private and
// reached through an expiring Vercel Signed URL (see blob-links.ts): posters keep working because the
// app re-mints links on every status poll, and nothing is ever readable without a signature or token.
import { BlobNotFoundError, del, getDownloadUrl, head, list, type HeadBlobResult } from '@vercel/blob';
import { AppError } from '@/lib/errors';
import type { PutBody } from './atomic';
import { downloadBlob } from './blob-download';
import { assertBlobToken, blobFailure, isPublicStoreUrl } from './blob-errors';
import { BlobLinkSigner, MAX_BLOB_LINK_SECONDS } from './blob-links';
import { uploadBody } from './blob-upload';
import { assertValidKey } from './keys';
import { assertPutInput } from './local-write';
import { assertListInput } from './local-list';
import type { ListOptions, ListResult, PutOptions, Storage, StoredObject, UrlOptions } from './types';

export interface BlobStorageOptions {
  /** The store's read-write token (BLOB_READ_WRITE_TOKEN); the caller reads the environment, not this class. */
  token: string;
  /** Not used: Vercel signs the links. Accepted so the factory matches the local adapter's inputs. */
  signingSecret?: string;
  defaultTtlSeconds?: number;
  /** Clock for default link expiries and put()'s uploadedAt. Link checks themselves use the real clock. */
  now?: () => Date;
}

export class BlobStorage implements Storage {
  readonly kind = 'blob' as const;
  private readonly token: string;
  private readonly now: () => Date;
  private readonly defaultTtlSeconds: number;
  private readonly links: BlobLinkSigner;

  constructor(opts: BlobStorageOptions) {
    assertBlobToken(opts.token); // an empty token would make the SDK fall back to process.env
    this.token = opts.token;
    this.now = opts.now ?? (() => new Date());
    this.defaultTtlSeconds = assertTtl(opts.defaultTtlSeconds ?? 3600);
    this.links = new BlobLinkSigner(opts.token);
  }

  async put(key: string, body: PutBody, opts: PutOptions): Promise<StoredObject> {
    assertValidKey(key);
    assertPutInput(body, opts);
    const { result, size } = await uploadBody(key, body, { token: this.token, contentType: opts.contentType })
      .catch(blobFailure(`upload ${key}`));
    if (isPublicStoreUrl(result.url)) {
      await del(key, { token: this.token }).catch(() => undefined); // best effort: it is already exposed
      throw new AppError('misconfigured', 'BLOB_READ_WRITE_TOKEN belongs to a public Blob store; use a private store.');
    }
    return { key, size, contentType: opts.contentType, access: 'private', uploadedAt: this.now() };
  }

  async head(key: string): Promise<StoredObject | null> {
    const found = await this.lookup(key);
    if (!found) return null;
    return { key, size: found.size, contentType: found.contentType, access: 'private', uploadedAt: found.uploadedAt };
  }

  async del(key: string | string[]): Promise<void> {
    // Validate every key before deleting any, so a bad batch changes nothing.
    const keys = (Array.isArray(key) ? key : [key]).map(assertValidKey);
    if (keys.length === 0) return;
    await del(keys, { token: this.token }).catch(blobFailure('delete blobs'));
  }

  async download(key: string, destPath: string): Promise<void> {
    const found = await this.lookup(key);
    if (!found) throw notFound();
    await downloadBlob(found.url, this.token, destPath);
  }

  /** A signed CDN URL; no existence check, so a missing key yields a link that answers 404. */
  async url(key: string, opts: UrlOptions = {}): Promise<string> {
    assertValidKey(key);
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const expiresAt = opts.expiresAt ?? nowSeconds + assertTtl(opts.expiresInSeconds ?? this.defaultTtlSeconds);
    const signed = await this.links.sign(key, expiresAt * 1000).catch(blobFailure('sign a link'));
    return opts.download ? getDownloadUrl(signed) : signed;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const { limit } = assertListInput(prefix, opts);
    const page = await list({ prefix, cursor: opts.cursor, limit, token: this.token }).catch(blobFailure('list blobs'));
    return {
      objects: page.blobs.map((b) => ({
        key: b.pathname, size: b.size, contentType: 'application/octet-stream', access: 'private' as const, uploadedAt: b.uploadedAt,
      })),
      cursor: page.hasMore && page.cursor ? page.cursor : null,
    };
  }

  private async lookup(key: string): Promise<HeadBlobResult | null> {
    assertValidKey(key);
    try {
      return await head(key, { token: this.token });
    } catch (err) {
      if (err instanceof BlobNotFoundError) return null;
      return blobFailure(`read ${key}`)(err);
    }
  }
}

export function createBlobStorage(opts: BlobStorageOptions): Storage & { kind: 'blob' } {
  return new BlobStorage(opts);
}

/** Checked by kind, not instanceof, which breaks across Next.js bundles. */
export function isBlobStorage(s: Storage): s is BlobStorage {
  return s.kind === 'blob';
}

function assertTtl(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_BLOB_LINK_SECONDS) {
    throw new AppError('bad_request', `Link lifetime must be 1 to ${MAX_BLOB_LINK_SECONDS} whole seconds.`);
  }
  return seconds;
}

function notFound(): AppError {
  return new AppError('not_found', 'File not found.');
}
