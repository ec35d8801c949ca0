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
}

export type BodyStream = Readable;
