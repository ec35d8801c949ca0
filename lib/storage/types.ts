// Shaped like @vercel/blob's put/head/del so the Blob adapter drops in beside the local one.
import type { Readable } from 'node:stream';

export type Access = 'public' | 'private';

export interface PutOptions {
  contentType: string;
  access: Access;
}

export interface StoredObject {
  key: string;
  size: number;
  contentType: string;
  access: Access;
  uploadedAt: Date;
}

export interface UrlOptions {
  /** Seconds until a private URL stops working. Ignored for public objects. */
  expiresInSeconds?: number;
  /** Absolute expiry in unix seconds; wins over expiresInSeconds. */
  expiresAt?: number;
  /** Ask the browser to download rather than play. */
  download?: boolean;
  /** The caller already knows the object's access (from its own records): skip the lookup. */
  access?: Access;
}

/** Shaped like @vercel/blob's list(): pass the returned cursor back to get the next page. */
export interface ListOptions {
  /** From the previous page; omit for the first page. Opaque: never build one yourself. */
  cursor?: string;
  /** Objects per page, 1 to 1000 (the Blob API's cap); default 1000. */
  limit?: number;
}

export interface ListResult {
  /** Sorted by key; every object appears on exactly one page. */
  objects: StoredObject[];
  /** null on the last page. */
  cursor: string | null;
}

export interface Storage {
  /** Which adapter this is; checked instead of instanceof, which breaks across Next.js bundles. */
  readonly kind: 'local' | 'blob';
  /** Writes or overwrites key. A file path body is streamed from disk, never read whole into memory. */
  put(key: string, body: Buffer | string | { filePath: string }, opts: PutOptions): Promise<StoredObject>;
  head(key: string): Promise<StoredObject | null>;
  del(key: string | string[]): Promise<void>;
  /** Copies the object to a local file (compose needs files on disk for ffmpeg). */
  download(key: string, destPath: string): Promise<void>;
  /** A URL a browser can fetch: signed and expiring for private objects. */
  url(key: string, opts?: UrlOptions): Promise<string>;
  /**
   * Objects whose key starts with prefix ('' for all), one page at a time. Used by lib/cleanup.
   * Local: lib/storage/local-list.ts; Blob: @vercel/blob's list(). Both validate with assertListInput.
   */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
}

export type BodyStream = Readable;
