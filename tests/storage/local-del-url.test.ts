import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from '@/lib/storage/local';
import { verifySignature } from '@/lib/storage/signing';
import { TEST_SECRET, useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const at = new Date('2030-01-01T00:00:00Z');

async function store(opts: { now?: () => Date; defaultTtlSeconds?: number } = {}) {
  const root = path.join(await tempDir(), 'storage');
  return { root, storage: new LocalStorage({ root, secret: TEST_SECRET, now: () => at, ...opts }) };
}

describe('LocalStorage del', () => {
  it('removes both files and is idempotent', async () => {
    const { root, storage } = await store();
    await storage.put('videos/v1/final.mp4', 'x', { contentType: 'video/mp4', access: 'private' });
    await storage.put('videos/v1/poster.jpg', 'y', { contentType: 'image/jpeg', access: 'public' });
    await storage.del(['videos/v1/final.mp4', 'videos/v1/poster.jpg']);
    expect(await storage.head('videos/v1/final.mp4')).toBeNull();
    expect(await fs.readdir(path.join(root, 'videos/v1'))).toEqual([]);
    await expect(storage.del('videos/v1/final.mp4')).resolves.toBeUndefined();
    await expect(storage.del('never/existed')).resolves.toBeUndefined();
  });

  it('deletes nothing when any key in the batch is invalid', async () => {
    const { storage } = await store();
    await storage.put('keep.txt', 'x', { contentType: 'text/plain', access: 'public' });
    await expect(storage.del(['keep.txt', '../x'])).rejects.toMatchObject({ code: 'bad_request' });
    expect(await storage.head('keep.txt')).not.toBeNull();
  });
});

describe('LocalStorage url', () => {
  it('gives public objects a plain path and private ones a signed, expiring path', async () => {
    const { storage } = await store({ defaultTtlSeconds: 120 });
    await storage.put('videos/v1/poster.jpg', 'p', { contentType: 'image/jpeg', access: 'public' });
    await storage.put('videos/v1/final.mp4', 'f', { contentType: 'video/mp4', access: 'private' });
    expect(await storage.url('videos/v1/poster.jpg')).toBe('/api/files/videos/v1/poster.jpg');
    expect(await storage.url('videos/v1/poster.jpg', { download: true })).toBe('/api/files/videos/v1/poster.jpg?dl=1');

    const nowSeconds = at.getTime() / 1000;
    const signed = new URL(await storage.url('videos/v1/final.mp4'), 'http://x');
    expect(signed.pathname).toBe('/api/files/videos/v1/final.mp4');
    expect(signed.searchParams.get('exp')).toBe(String(nowSeconds + 120));
    expect(verifySignature('videos/v1/final.mp4', signed.searchParams, { secret: TEST_SECRET, nowSeconds })).toBe('ok');

    const custom = new URL(await storage.url('videos/v1/final.mp4', { expiresInSeconds: 10, download: true }), 'http://x');
    expect(custom.searchParams.get('exp')).toBe(String(nowSeconds + 10));
    expect(custom.searchParams.get('dl')).toBe('1');
    const fixed = new URL(await storage.url('videos/v1/final.mp4', { expiresAt: nowSeconds + 900, expiresInSeconds: 10 }), 'http://x');
    expect(fixed.searchParams.get('exp')).toBe(String(nowSeconds + 900));
  });
});

describe('LocalStorage openRead', () => {
  it('streams an inclusive byte range', async () => {
    const { storage } = await store();
    await storage.put('r.bin', Buffer.from('0123456789'), { contentType: 'application/octet-stream', access: 'public' });
    const chunks: Buffer[] = [];
    for await (const chunk of storage.openRead('r.bin', { start: 2, end: 5 })) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('2345');
  });
});
