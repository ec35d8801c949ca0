import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { LocalStorage } from '@/lib/storage/local';
import { TEST_SECRET, useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const at = new Date('2030-01-01T00:00:00Z');

async function store(opts: { now?: () => Date; defaultTtlSeconds?: number } = {}) {
  const root = path.join(await tempDir(), 'storage');
  return { root, storage: new LocalStorage({ root, secret: TEST_SECRET, now: () => at, ...opts }) };
}

async function roundTrip(storage: LocalStorage, key: string): Promise<Buffer> {
  const dest = path.join(await tempDir(), 'out', 'copy.bin');
  await storage.download(key, dest);
  return fs.readFile(dest);
}

describe('LocalStorage put/head/download', () => {
  it('round-trips a Buffer byte for byte', async () => {
    const { storage } = await store();
    const bytes = randomBytes(100_000);
    const put = await storage.put('videos/v1/final.mp4', bytes, { contentType: 'video/mp4', access: 'private' });
    expect(put).toEqual({ key: 'videos/v1/final.mp4', size: bytes.length, contentType: 'video/mp4', access: 'private', uploadedAt: at });
    expect(await storage.head('videos/v1/final.mp4')).toEqual(put);
    expect((await roundTrip(storage, 'videos/v1/final.mp4')).equals(bytes)).toBe(true);
  });

  it('round-trips a string as UTF-8', async () => {
    const { storage } = await store();
    const text = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHéllo ✓\n';
    await storage.put('videos/v1/captions.vtt', text, { contentType: 'text/vtt', access: 'public' });
    expect((await storage.head('videos/v1/captions.vtt'))?.size).toBe(Buffer.byteLength(text));
    expect((await roundTrip(storage, 'videos/v1/captions.vtt')).toString('utf8')).toBe(text);
  });

  it('streams a { filePath } body in and round-trips it', async () => {
    const { storage } = await store();
    const source = path.join(await tempDir(), 'render.mp4');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    await fs.writeFile(source, bytes);
    await storage.put('videos/v1/scenes/0.mp4', { filePath: source }, { contentType: 'video/mp4', access: 'private' });
    expect((await storage.head('videos/v1/scenes/0.mp4'))?.size).toBe(bytes.length);
    expect((await roundTrip(storage, 'videos/v1/scenes/0.mp4')).equals(bytes)).toBe(true);
  });

  it('overwrites in place: new content, new size, new access, no leftover temp files', async () => {
    const { root, storage } = await store();
    const key = 'videos/v1/poster.jpg';
    await storage.put(key, Buffer.alloc(50, 1), { contentType: 'image/jpeg', access: 'private' });
    await storage.put(key, Buffer.alloc(20, 2), { contentType: 'image/png', access: 'public' });
    expect(await storage.head(key)).toMatchObject({ size: 20, contentType: 'image/png', access: 'public' });
    expect((await roundTrip(storage, key)).equals(Buffer.alloc(20, 2))).toBe(true);
    expect((await fs.readdir(path.join(root, 'videos/v1'))).sort()).toEqual(['poster.jpg', 'poster.jpg.meta.json']);
  });

  it('keeps the old object when a put fails', async () => {
    const { storage } = await store();
    await storage.put('a.txt', 'old', { contentType: 'text/plain', access: 'public' });
    await expect(storage.put('a.txt', { filePath: '/nonexistent/file' }, { contentType: 'text/plain', access: 'private' })).rejects.toThrow();
    expect(await storage.head('a.txt')).toMatchObject({ size: 3, access: 'public' });
  });

  it('leaves no stray sidecar when a private put cannot land its bytes', async () => {
    const { root, storage } = await store();
    await storage.put('dir/child.txt', 'x', { contentType: 'text/plain', access: 'public' });
    // The key 'dir' is taken by a directory, so renaming the bytes into place fails after the
    // (private-first) sidecar was written; the sidecar must be rolled back.
    await expect(storage.put('dir', 'y', { contentType: 'text/plain', access: 'private' })).rejects.toThrow();
    expect((await fs.readdir(root)).sort()).toEqual(['dir']);
    expect(await storage.head('dir')).toBeNull();
  });

  it('returns null / not_found for missing objects', async () => {
    const { storage } = await store();
    expect(await storage.head('videos/none/final.mp4')).toBeNull();
    await expect(storage.download('videos/none/final.mp4', path.join(await tempDir(), 'x'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(storage.url('videos/none/final.mp4')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses sidecar keys, bad keys, bad options and short secrets', async () => {
    const { storage, root } = await store();
    const opts = { contentType: 'text/plain', access: 'public' } as const;
    await expect(storage.put('x.meta.json', '{}', opts)).rejects.toMatchObject({ code: 'bad_request' });
    await storage.put('x', 'data', opts);
    await expect(storage.head('x.meta.json')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(storage.put('../escape', 'x', opts)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(storage.put('y', 'x', { contentType: 'text/html\r\nx: y', access: 'public' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(storage.put('y', 'x', { contentType: 'text/plain', access: 'secret' as 'public' })).rejects.toMatchObject({ code: 'bad_request' });
    expect(() => new LocalStorage({ root, secret: 'short' })).toThrow(AppError);
  });
});
