import { describe, expect, it } from 'vitest';
import { bytes, expectError, PRIVATE_KEY, serve, state, useServeFixture, video } from './serve-fixture';

useServeFixture();

describe('serveStoredObject: ranges and HEAD', () => {
  const signed = () => state.storage.url(PRIVATE_KEY);
  const ranged = async (range: string) => serve(await signed(), PRIVATE_KEY, { headers: { range } });

  it('answers bytes=0-9 with exactly the first 10 bytes', async () => {
    const res = await ranged('bytes=0-9');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-9/${video.length}`);
    expect(res.headers.get('content-length')).toBe('10');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect((await bytes(res)).equals(video.subarray(0, 10))).toBe(true);
  });

  it('answers an open-ended range', async () => {
    const res = await ranged('bytes=5-');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 5-999/${video.length}`);
    expect((await bytes(res)).equals(video.subarray(5))).toBe(true);
  });

  it('answers a suffix range', async () => {
    const res = await ranged('bytes=-4');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 996-999/${video.length}`);
    expect((await bytes(res)).equals(video.subarray(-4))).toBe(true);
  });

  it('answers 416 with the size when the range starts past the end', async () => {
    const res = await ranged(`bytes=${video.length}-`);
    expect(res.headers.get('content-range')).toBe(`bytes */${video.length}`);
    await expectError(res, 416, 'range_not_satisfiable');
  });

  it('checks access before ranges', async () => {
    const res = await serve(`/api/files/${PRIVATE_KEY}`, PRIVATE_KEY, { headers: { range: 'bytes=0-9' } });
    await expectError(res, 403, 'forbidden');
  });

  it('answers HEAD with the same headers and no body', async () => {
    const res = await serve(await signed(), PRIVATE_KEY, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(video.length));
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.body).toBeNull();
    const partial = await serve(await signed(), PRIVATE_KEY, { method: 'HEAD', headers: { range: 'bytes=0-9' } });
    expect(partial.status).toBe(206);
    expect(partial.body).toBeNull();
    const denied = await serve(`/api/files/${PRIVATE_KEY}`, PRIVATE_KEY, { method: 'HEAD' });
    expect(denied.status).toBe(403);
    expect(denied.body).toBeNull();
  });

  it('serves an empty object', async () => {
    await state.storage.put('empty.txt', '', { contentType: 'text/plain', access: 'public' });
    const res = await serve('/api/files/empty.txt', 'empty.txt');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect((await bytes(res)).length).toBe(0);
  });

  it('keeps serving the version it opened when the key is overwritten mid-response', async () => {
    const res = await serve(await signed(), PRIVATE_KEY);
    await state.storage.put(PRIVATE_KEY, Buffer.alloc(10), { contentType: 'video/mp4', access: 'private' });
    expect((await bytes(res)).equals(video)).toBe(true);
  });
});
