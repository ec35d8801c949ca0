// Large uploads stream from disk: a 30 MB file reaches the store intact, in parts, without the process
// ever holding it. Memory (heapUsed + arrayBuffers) is sampled after forced GCs, so only live bytes
// count, not garbage the collector has yet to reach. Measured growth: the adapter ~11-12 MB (two 5 MiB
// parts in flight, each held by undici until its request ends); one PUT of the file ~33 MB; the SDK's
// `multipart: true` with a Readable 27-37 MB; reading the file into a Buffer first ~130 MB. The bar is
// half the file: whatever holds more than that at once is not streaming.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createBlobStorage } from '@/lib/storage/blob';
import { BLOB_PART_BYTES } from '@/lib/storage/blob-upload';
import { useFakeBlob } from '../helpers/fake-blob';
import { useTempDirs } from './temp-dir';

const FILE_BYTES = 30 * 1024 * 1024;
const MAX_GROWTH_BYTES = FILE_BYTES / 2; // holding more than half the file at once is not streaming

setFlagsFromString('--expose-gc');
const gc = (globalThis.gc ?? runInNewContext('gc')) as () => void;
const live = () => {
  // The second collection finishes the first one's concurrent sweep of dead ArrayBuffers.
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Writes pseudo-random bytes in 1 MB chunks, so the test itself never holds the file either. */
async function writeBigFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  let seed = 1;
  async function* chunks() {
    for (let left = FILE_BYTES; left > 0; left -= 1 << 20) {
      const chunk = Buffer.alloc(Math.min(left, 1 << 20));
      for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((seed = (seed * 1103515245 + 12345) >>> 0), i);
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(chunks, createWriteStream(file));
  return hash.digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

describe('BlobStorage large uploads', () => {
  const tempDir = useTempDirs();

  describe('on a healthy store', () => {
    const fake = useFakeBlob();

    it('streams a 30 MB file in parts without holding it in memory', async () => {
      const dir = await tempDir();
      const source = path.join(dir, 'final.mp4');
      const digest = await writeBigFile(source);
      const storage = createBlobStorage({ token: fake().token });

      const baseline = live();
      let peak = baseline;
      const sampler = setInterval(() => void (peak = Math.max(peak, live())), 100);
      try {
        await storage.put('videos/big/final.mp4', { filePath: source }, { contentType: 'video/mp4', access: 'private' });
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, live());

      expect(fake().stored('videos/big/final.mp4')).toMatchObject({ size: FILE_BYTES, sha256: digest });
      expect(peak - baseline).toBeLessThan(MAX_GROWTH_BYTES);
      expect(fake().log.filter((l) => l === 'mpu-upload')).toHaveLength(Math.ceil(FILE_BYTES / BLOB_PART_BYTES));

      const back = path.join(dir, 'back.mp4');
      await storage.download('videos/big/final.mp4', back);
      expect(await sha256File(back)).toBe(digest);
    });
  });

  describe('when a part upload fails once', () => {
    const fake = useFakeBlob({ failPartUploads: 1 });

    it('retries the part with its full bytes, so the stored file is still intact', async () => {
      const source = path.join(await tempDir(), 'final.mp4');
      const digest = await writeBigFile(source);
      await createBlobStorage({ token: fake().token }).put('videos/big/final.mp4', { filePath: source }, {
        contentType: 'video/mp4',
        access: 'private',
      });
      expect(fake().log.filter((l) => l === 'mpu-upload')).toHaveLength(Math.ceil(FILE_BYTES / BLOB_PART_BYTES) + 1);
      expect(fake().stored('videos/big/final.mp4')).toMatchObject({ size: FILE_BYTES, sha256: digest });
    });
  });
});
