// Streams a blob to a local file (compose needs files on disk for ffmpeg), never through memory whole.
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { AppError } from '@/lib/errors';
import { removeQuietly } from './atomic';

/** blobUrl must come from the Blob API (head/put): the store token is sent to it. */
export async function downloadBlob(blobUrl: string, token: string, destPath: string): Promise<void> {
  const url = new URL(blobUrl);
  url.searchParams.set('cache', '0'); // read past the CDN cache: a re-run step may just have overwritten it
  // A private store answers reads only with the store token (what the SDK's get() sends too).
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 404) throw new AppError('not_found', 'File not found.');
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new AppError('internal_error', `Vercel Blob download failed with HTTP ${res.status}.`);
  }
  await fs.mkdir(path.dirname(destPath), { recursive: true });
  try {
    await pipeline(Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), createWriteStream(destPath));
  } catch (err) {
    await removeQuietly(destPath); // a half-written file would only confuse ffmpeg later
    throw err;
  }
}
