import { describe, expect, it } from 'vitest';
import { bytes, expectError, PRIVATE_KEY, PUBLIC_KEY, poster, serve, state, useServeFixture, video } from './serve-fixture';

useServeFixture();

describe('serveStoredObject: access', () => {
  it('serves a private object with a valid signed URL, whole, with headers', async () => {
    const res = await serve(await state.storage.url(PRIVATE_KEY, { expiresInSeconds: 600 }), PRIVATE_KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(video.length));
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, max-age=600');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="final.mp4"');
    expect((await bytes(res)).equals(video)).toBe(true);
  });

  it('caps the private max-age', async () => {
    const res = await serve(await state.storage.url(PRIVATE_KEY, { expiresInSeconds: 86_400 }), PRIVATE_KEY);
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
  });

  it('serves a public object without a signature, with a short public cache', async () => {
    const res = await serve(`/api/files/${PUBLIC_KEY}`, PUBLIC_KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await bytes(res)).equals(poster)).toBe(true);
  });

  it('refuses a private object without a signature', async () => {
    await expectError(await serve(`/api/files/${PRIVATE_KEY}`, PRIVATE_KEY), 403, 'forbidden');
  });

  it('refuses a tampered signature', async () => {
    const url = new URL(await state.storage.url(PRIVATE_KEY), 'http://localhost');
    url.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    await expectError(await serve(url.toString(), PRIVATE_KEY), 403, 'forbidden');
  });

  it('refuses an expired link and says so', async () => {
    const url = await state.storage.url(PRIVATE_KEY, { expiresInSeconds: 60 });
    state.clock = new Date(state.clock.getTime() + 61_000);
    const error = await expectError(await serve(url, PRIVATE_KEY), 403, 'forbidden');
    expect(error.message).toMatch(/expired/i);
  });

  it('answers 404 for a missing object and for a malformed key alike', async () => {
    await expectError(await serve('/api/files/videos/v2/final.mp4', 'videos/v2/final.mp4'), 404, 'not_found');
    for (const bad of ['../etc/passwd', 'a//b', `${PRIVATE_KEY}.meta.json`, '']) {
      await expectError(await serve('/api/files/x', bad), 404, 'not_found');
    }
  });

  it('marks download links as attachments', async () => {
    const res = await serve(await state.storage.url(PRIVATE_KEY, { download: true }), PRIVATE_KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="final.mp4"');
  });
});
