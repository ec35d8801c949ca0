// The upload half of BlobStorage. Memory, not speed, sets the shape here:
// - The SDK sends through undici's fetch, which tees every request body (fetch spec "clone request"),
//   so each request's whole body stays in memory until that request is over. One PUT of a video holds
//   the video, and the SDK's own `multipart: true` holds up to 8 parts of 8 MB plus a read-ahead
//   (27-37 MB measured for a 30 MB file). Small parts, few at a time, bound memory whatever the file
//   size: PARTS_IN_FLIGHT x BLOB_PART_BYTES, ~11 MB measured.
// - Each part is a slice of a file-backed Blob (fs.openAsBlob): read lazily from disk, and, unlike a
//   one-shot Readable (undici refuses a consumed one: "body object should not be disturbed"), readable
//   again when the SDK retries a request after a 5xx or a dropped connection.
import { openAsBlob } from 'node:fs';
import { createMultipartUploader, put, type Part, type PutBlobResult } from '@vercel/blob';
import type { PutBody } from './atomic';

/** The service's minimum part size (all parts but the last); also the largest single PUT we send. */
export const BLOB_PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

export interface UploadOptions {
  token: string;
  contentType: string;
}

export interface Uploaded {
  result: PutBlobResult;
  size: number;
}

export async function uploadBody(pathname: string, body: PutBody, opts: UploadOptions): Promise<Uploaded> {
  const common = {
    token: opts.token,
    contentType: opts.contentType,
    // Access belongs to the store, which must be private (see blob.ts), whatever the caller asked for.
    access: 'private',
    // Keys are deterministic, so a re-run step must land on the same pathname and replace it.
    addRandomSuffix: false,
    allowOverwrite: true,
  } as const;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    // The SDK rejects a falsy body, so an empty string goes up as an empty Buffer.
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return { result: await put(pathname, bytes, common), size: bytes.length };
  }
  const file = await openAsBlob(body.filePath);
  if (file.size <= BLOB_PART_BYTES) return { result: await put(pathname, file, common), size: file.size };

  const abort = new AbortController();
  const uploader = await createMultipartUploader(pathname, { ...common, abortSignal: abort.signal });
  const parts = await uploadParts(file, (n, part) => uploader.uploadPart(n, part), abort);
  return { result: await uploader.complete(parts), size: file.size };
}

type SendPart = (partNumber: number, part: Blob) => Promise<Part>;

async function uploadParts(file: Blob, send: SendPart, abort: AbortController): Promise<Part[]> {
  const count = Math.ceil(file.size / BLOB_PART_BYTES);
  const done: Part[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !abort.signal.aborted) {
      const index = next++;
      const start = index * BLOB_PART_BYTES;
      done.push(await send(index + 1, file.slice(start, Math.min(start + BLOB_PART_BYTES, file.size))));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, count) }, worker));
  } catch (err) {
    abort.abort(); // stop the other parts: the upload is lost either way
    throw err;
  }
  return done.sort((a, b) => a.partNumber - b.partNumber);
}
