// BlobStorage against a local fake of the Vercel Blob API: round trips, overwrites, deletes and errors.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBlobStorage } from '@/lib/storage/blob';
import { useFakeBlob } from '../helpers/fake-blob';
import { TEST_SECRET, useTempDirs } from './temp-dir';

const fake = useFakeBlob();
const tempDir = useTempDirs();
const storage = () => createBlobStorage({ token: fake().token, signingSecret: TEST_SECRET });
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function downloaded(key: string): Promise<Buffer> {
  const dest = path.join(await tempDir(), 'out', 'file');
  await storage().download(key, dest);
  return fs.readFile(dest);
}

describe('BlobStorage round trips', () => {
  it('stores a Buffer, a string and a file, and gives each back byte for byte', async () => {
    const dir = await tempDir();
    const clip = randomBytes(300_000);
    await fs.writeFile(path.join(dir, 'clip.mp4'), clip);
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHéllo ✓\n';
    const png = randomBytes(1234);
    const bodies = [
      { key: 'videos/v1/scenes/0.png', body: png, expected: png, contentType: 'image/png' },
      { key: 'videos/v1/captions.vtt', body: vtt, expected: Buffer.from(vtt), contentType: 'text/vtt; charset=utf-8' },
      { key: 'videos/v1/scenes/0.mp4', body: { filePath: path.join(dir, 'clip.mp4') }, expected: clip, contentType: 'video/mp4' },
    ];
    for (const { key, body, expected, contentType } of bodies) {
      const put = await storage().put(key, body, { contentType, access: 'private' });
      expect(put).toMatchObject({ key, size: expected.length, contentType, access: 'private' });
      expect(await storage().head(key)).toMatchObject({ key, size: expected.length, contentType, access: 'private' });
      expect(sha256(await downloaded(key))).toBe(sha256(expected));
    }
  });

  it('stores an empty body', async () => {
    await storage().put('videos/v1/empty.txt', '', { contentType: 'text/plain', access: 'private' });
    expect(await storage().head('videos/v1/empty.txt')).toMatchObject({ size: 0 });
    expect((await downloaded('videos/v1/empty.txt')).length).toBe(0);
  });

  it('overwrites the same pathname on a re-run, without a random suffix, and reads past the CDN cache', async () => {
    const key = 'videos/v1/final.mp4';
    await storage().put(key, 'first take', { contentType: 'video/mp4', access: 'private' });
    expect((await downloaded(key)).toString()).toBe('first take');
    await storage().put(key, 'second take', { contentType: 'video/mp4', access: 'private' });
    expect(fake().pathnames()).toEqual([key]);
    expect((await downloaded(key)).toString()).toBe('second take');
  });
});

describe('BlobStorage head and del', () => {
  it('answers null for a missing key and not_found when downloading it', async () => {
    expect(await storage().head('videos/none/final.mp4')).toBeNull();
    await expect(storage().download('videos/none/final.mp4', path.join(await tempDir(), 'x'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('deletes one key or many, and deleting again is harmless', async () => {
    for (const k of ['a/1.txt', 'a/2.txt', 'a/3.txt']) await storage().put(k, k, { contentType: 'text/plain', access: 'private' });
    await storage().del('a/1.txt');
    await storage().del(['a/2.txt', 'a/3.txt']);
    await storage().del(['a/1.txt', 'a/2.txt']);
    expect(fake().pathnames()).toEqual([]);
    expect(await storage().head('a/3.txt')).toBeNull();
  });
});

describe('BlobStorage refuses bad input before any request', () => {
  it.each(['../x', 'a//b', '/abs', 'a/b.meta.json', ''])('rejects the key %j', async (key) => {
    const s = storage();
    await expect(s.put(key, 'x', { contentType: 'text/plain', access: 'private' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(s.head(key)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(s.del(['ok.txt', key])).rejects.toMatchObject({ code: 'bad_request' });
    await expect(s.download(key, path.join(await tempDir(), 'x'))).rejects.toMatchObject({ code: 'bad_request' });
    await expect(s.url(key)).rejects.toMatchObject({ code: 'bad_request' });
    expect(fake().log).toEqual([]);
  });

  it('refuses a token that is not a Blob read-write token', () => {
    for (const token of ['', 'not-a-token', 'vercel_blob_rw__secret']) {
      expect(() => createBlobStorage({ token, signingSecret: TEST_SECRET })).toThrow(/BLOB_READ_WRITE_TOKEN/);
    }
  });

  it('reports a token the store rejects as a configuration problem', async () => {
    const wrong = createBlobStorage({ token: `vercel_blob_rw_${fake().storeId}_wrongsecret`, signingSecret: TEST_SECRET });
    const refused = { code: 'misconfigured', message: expect.stringMatching(/BLOB_READ_WRITE_TOKEN is wrong/) };
    await expect(wrong.put('a.txt', 'x', { contentType: 'text/plain', access: 'private' })).rejects.toMatchObject(refused);
    await expect(wrong.head('a.txt')).rejects.toMatchObject(refused);
    await expect(wrong.del('a.txt')).rejects.toMatchObject(refused);
    await expect(wrong.url('a.txt')).rejects.toMatchObject(refused);
    expect(fake().pathnames()).toEqual([]);
  });
});
