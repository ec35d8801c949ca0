import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/video/generate/route';
import { GET } from '@/app/api/video/status/[id]/route';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
let id: string;

const status = (videoId: string, headers: Record<string, string> = {}) =>
  call(GET, { url: `/api/video/status/${videoId}`, headers: { cookie: owner.cookie, ...headers }, params: { id: videoId } });

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db);
  const res = await postJson(POST, '/api/video/generate', { topic: 'Glaciers', sceneCount: 2, aspectRatio: '1:1' }, { cookie: owner.cookie });
  id = (await res.json()).id;
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

describe('GET /api/video/status/[id]', () => {
  it('returns the video with progress, step label, scenes and no URLs yet', async () => {
    const res = await status(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const v = await res.json();
    expect(v).toMatchObject({
      id, topic: 'Glaciers', status: 'queued', progress: 0, stepLabel: 'Waiting in the queue', sceneCount: 2,
      aspectRatio: '1:1', resolution: '720p', width: 720, height: 720, videoUrl: null, posterUrl: null, error: null, scenes: [],
    });
  });

  it('answers 304 to a matching If-None-Match, and 200 with a new ETag once the video changes', async () => {
    const first = await status(id);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await status(id, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect((await status(id, { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);

    await t.db.query("update videos set progress = 42, step_label = 'Rendering' where id = $1::uuid", [id]);
    const changed = await status(id, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await changed.json()).progress).toBe(42);
  });

  it('answers 404 JSON, never 500, for malformed, unknown and other owners\' ids', async () => {
    const other = ownerCookie();
    const cases = [
      ['not-a-uuid', owner.cookie],
      ["1' or '1'='1", owner.cookie],
      ['00000000-0000-0000-0000-000000000000', owner.cookie],
      [id.toUpperCase().replace(/-/g, ''), owner.cookie],
      [id, other.cookie],
      [id, ''],
    ] as const;
    for (const [videoId, cookie] of cases) {
      const res = await call(GET, { url: `/api/video/status/${encodeURIComponent(videoId)}`, headers: { cookie }, params: { id: videoId } });
      expect(res.status, videoId).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });
});
