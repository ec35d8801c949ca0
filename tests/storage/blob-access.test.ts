// Who can read what: every blob lives in a private store and is readable only with the store token or
// an unexpired Vercel Signed URL for exactly its pathname. fake.resolve() stands in for DNS.
import { describe, expect, it } from 'vitest';
import { createBlobStorage } from '@/lib/storage/blob';
import { useFakeBlob } from '../helpers/fake-blob';
import { TEST_SECRET } from './temp-dir';

const VIDEO = 'videos/v1/final.mp4';
const POSTER = 'videos/v1/poster.jpg';

describe('BlobStorage links in a private store', () => {
  const fake = useFakeBlob();
  const storage = () => createBlobStorage({ token: fake().token, signingSecret: TEST_SECRET, defaultTtlSeconds: 600 });
  const get = (url: string) => fetch(fake().resolve(url));

  it('serves a private video only through an unexpired link for that pathname', async () => {
    const s = storage();
    await s.put(VIDEO, 'video bytes', { contentType: 'video/mp4', access: 'private' });
    await s.put('videos/v2/final.mp4', 'other video', { contentType: 'video/mp4', access: 'private' });
    const link = await s.url(VIDEO, { expiresInSeconds: 120 });

    const parsed = new URL(link);
    expect(parsed.origin).toBe(`https://${fake().storeId}.private.blob.vercel-storage.com`);
    expect(parsed.pathname).toBe(`/${VIDEO}`);
    const res = await get(link);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('video bytes');

    // Without a signature, without the token, or with anything in the link changed: refused.
    expect((await fetch(`${fake().blobOrigin}/${VIDEO}`)).status).toBe(403);
    const swapped = new URL(link);
    swapped.pathname = '/videos/v2/final.mp4';
    expect((await get(swapped.toString())).status).toBe(403);
    const extended = new URL(link);
    extended.searchParams.set('vercel-blob-valid-until', String(Date.now() + 86_400_000));
    expect((await get(extended.toString())).status).toBe(403);

    fake().advanceClock(121_000);
    expect((await get(link)).status).toBe(403);
  });

  it('keeps a "public" poster private in the store but hands out a link that needs no token', async () => {
    const s = storage();
    // The fake's private store rejects access: 'public' puts, as a private Vercel store does.
    const put = await s.put(POSTER, 'jpeg bytes', { contentType: 'image/jpeg', access: 'public' });
    expect(put.access).toBe('private');
    expect(await s.head(POSTER)).toMatchObject({ access: 'private', contentType: 'image/jpeg' });
    expect((await fetch(`${fake().blobOrigin}/${POSTER}`)).status).toBe(403);
    const res = await get(await s.url(POSTER));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await res.text()).toBe('jpeg bytes');
  });

  it('honours expiresAt, asks for a download, and reuses one delegation across links', async () => {
    const s = storage();
    await s.put(VIDEO, 'video bytes', { contentType: 'video/mp4', access: 'private' });
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    const a = await s.url(VIDEO, { expiresAt });
    const b = await s.url(POSTER, { expiresAt });
    const dl = await s.url(VIDEO, { expiresAt, download: true });
    expect(new URL(a).searchParams.get('vercel-blob-valid-until')).toBe(String(expiresAt * 1000));
    expect(new URL(b).pathname).toBe(`/${POSTER}`);
    expect(new URL(dl).searchParams.get('download')).toBe('1');
    const res = await get(dl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(fake().log.filter((l) => l === 'POST /signed-token')).toHaveLength(1);

    // A link outliving the cached delegation gets a fresh one instead of being cut short.
    const later = Math.floor(Date.now() / 1000) + 3 * 3600;
    const long = await s.url(VIDEO, { expiresAt: later });
    expect(new URL(long).searchParams.get('vercel-blob-valid-until')).toBe(String(later * 1000));
    expect(fake().log.filter((l) => l === 'POST /signed-token')).toHaveLength(2);
  });

  it('refuses link lifetimes Vercel would not honour', async () => {
    const s = storage();
    const nowS = Math.floor(Date.now() / 1000);
    await expect(s.url(VIDEO, { expiresAt: nowS - 1 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(s.url(VIDEO, { expiresAt: nowS + 8 * 86_400 })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(s.url(VIDEO, { expiresInSeconds: 0 })).rejects.toMatchObject({ code: 'bad_request' });
    expect(() => createBlobStorage({ token: fake().token, defaultTtlSeconds: 8 * 86_400 })).toThrow();
  });
});

describe('BlobStorage with a public store', () => {
  const fake = useFakeBlob({ storeAccess: 'public' });

  it('refuses to keep objects there, since every blob in a public store is world-readable', async () => {
    const s = createBlobStorage({ token: fake().token, signingSecret: TEST_SECRET });
    await expect(s.put(VIDEO, 'video bytes', { contentType: 'video/mp4', access: 'private' })).rejects.toMatchObject({
      code: 'misconfigured',
      message: expect.stringMatching(/public Blob store/),
    });
    expect(fake().pathnames()).toEqual([]);
  });
});
