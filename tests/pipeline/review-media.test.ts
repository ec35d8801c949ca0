// Review before rendering on the real local provider and ffmpeg: the plan stops for review, an edited
// narration is what gets rendered, and each finished scene's preview poster is its stored image,
// served through the signed files route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as FILE } from '@/app/api/files/[...key]/route';
import { POST as APPROVE } from '@/app/api/video/[id]/approve/route';
import { PATCH as EDIT } from '@/app/api/video/[id]/scenes/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { workerDeps } from '@/lib/app';
import { runInvocation } from '@/lib/pipeline/worker';
import type { VideoView } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();

const status = async (id: string): Promise<VideoView> =>
  (await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: owner.cookie }, params: { id } })).json();

async function fetchFile(url: string): Promise<Response> {
  const u = new URL(url, 'http://localhost');
  const key = u.pathname.replace(/^\/api\/files\//, '').split('/').map(decodeURIComponent);
  return call(FILE, { url: u.pathname + u.search, params: { key } });
}

/** Runs invocations until nothing is left to claim. */
async function drain(): Promise<void> {
  while ((await runInvocation(workerDeps(app), 'manual')).processed) { /* next */ }
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db);
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

describe('review on the real pipeline', () => {
  it('waits after the plan, renders the edited narration, and serves each scene’s image as its poster', async () => {
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Lighthouses', sceneCount: 2, review: true }, { cookie: owner.cookie });
    const { id } = await res.json();
    await drain();
    const waiting = await status(id);
    expect(waiting.status).toBe('awaiting_review');
    expect(waiting.scenes.every((s) => s.status === 'pending' && s.clipUrl === null && s.posterUrl === null)).toBe(true);

    const narration = 'Lighthouses guide ships home at night.';
    const edited = await call(EDIT, {
      url: `/api/video/${id}/scenes`, method: 'PATCH', params: { id },
      headers: { cookie: owner.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ scenes: [{ index: 1, narration }] }),
    });
    expect(edited.status).toBe(200);
    expect((await call(APPROVE, { url: `/api/video/${id}/approve`, method: 'POST', headers: { cookie: owner.cookie }, params: { id } })).status).toBe(202);
    await drain();

    const done = await status(id);
    expect(done.status).toBe('completed');
    expect(done.scenes[1]!.narration).toBe(narration);
    // The captions are made from the narration that was rendered.
    expect(await (await fetchFile(done.captionsUrl!)).text()).toContain('Lighthouses guide ships home at night.');
    for (const scene of done.scenes) {
      const poster = await fetchFile(scene.posterUrl!);
      expect(poster.status).toBe(200);
      expect(poster.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // Signed like the clip: without its signature it is refused.
      expect((await fetchFile(scene.posterUrl!.split('?')[0]!)).status).toBe(403);
    }
  });
});
