import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/video/generate/route';
import { GET } from '@/app/api/video/status/[id]/route';
import { BOUNDARY_SECONDS, urlExpiry } from '@/lib/videos/urls';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
let id: string;

const status = (videoId: string, headers: Record<string, string> = {}) =>
  call(GET, { url: `/api/video/status/${videoId}`, headers: { cookie: owner.cookie, ...headers }, params: { id: videoId } });

/** The first instant at or after `from` that lies halfway between two of the video's URL-expiry boundaries. */
function midPeriod(from: Date, videoId: string, ttlSeconds: number): Date {
  const s = Math.floor(from.getTime() / 1000);
  const mid = urlExpiry(s, ttlSeconds, videoId) - ttlSeconds - BOUNDARY_SECONDS / 2;
  return new Date((mid >= s ? mid : mid + BOUNDARY_SECONDS) * 1000);
}

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
    // Browsers keep the answer and revalidate it on every poll, so unchanged polls become 304s.
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
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

  it('changes the ETag for every input of the body: scene rows, usage, signed-URL expiry and the estimate', async () => {
    let clock = new Date('2030-01-01T00:00:10Z'); // not on a 5-minute URL-expiry boundary
    const timed = await createTestApp(t.db, { now: () => clock });
    try {
      const created = await postJson(POST, '/api/video/generate', { topic: 'Tides', sceneCount: 2 }, { cookie: owner.cookie });
      const vid = (await created.json()).id as string;
      // Halfway through this video's URL-expiry period, so a second later is still inside it.
      clock = midPeriod(clock, vid, timed.config.signedUrlTtlSeconds);
      const tags: string[] = [];
      // Each step changes one input; the previous tag must then get a 200, and an unchanged poll a 304.
      const expectNewTag = async (why: string) => {
        const prev = tags.at(-1);
        const res = await status(vid, prev ? { 'if-none-match': prev } : {});
        expect(res.status, why).toBe(200);
        const tag = res.headers.get('etag')!;
        expect(tags, why).not.toContain(tag);
        tags.push(tag);
        expect((await status(vid, { 'if-none-match': tag })).status, `${why}, polled again`).toBe(304);
        return res.json();
      };
      await expectNewTag('first poll');
      await t.db.query(
        `insert into scenes (video_id, index, narration, visual_prompt, status)
         values ($1::uuid, 0, 'One', 'a', 'pending'), ($1::uuid, 1, 'Two', 'b', 'pending')`, [vid]);
      expect((await expectNewTag('scenes planned')).scenes).toHaveLength(2);
      await t.db.query("update scenes set status = 'rendered', clip_key = $2::text where video_id = $1::uuid and index = 1", [vid, `videos/${vid}/scene-1.mp4`]);
      expect((await expectNewTag('scene rendered, video row untouched')).scenes[1].clipUrl).toMatch(/scene-1\.mp4/);
      const task = await t.db.query<{ id: string }>("select id from tasks where video_id = $1::uuid limit 1", [vid]);
      await t.db.query(
        `insert into usage_items (video_id, task_id, item, model, quantity, cost_usd) values ($1::uuid, $2::bigint, 'images', 'm', 1, 0.04)`,
        [vid, task.rows[0]!.id]);
      expect((await expectNewTag('usage recorded')).usage.images).toBe(1);
      // The same instant rounds to the same URL expiry: no change.
      clock = new Date(clock.getTime() + 1_000);
      expect((await status(vid, { 'if-none-match': tags.at(-1)! })).status).toBe(304);
      // Past the next 5-minute boundary the scene's signed URL carries a new expiry.
      clock = new Date(clock.getTime() + 300_000);
      const resigned = await expectNewTag('signed URLs re-issued');
      expect(new URL(resigned.scenes[1].clipUrl, 'http://x').search).not.toBe('');
      // A first measured step changes the estimate (none until something has been measured).
      expect(resigned.etaMs).toBeNull();
      await t.db.query(
        `insert into task_events (task_id, video_id, type, invocation_id, attempt, at)
         values ($1::bigint, $2::uuid, 'step_started', 'inv', 1, $3::timestamptz), ($1::bigint, $2::uuid, 'completed', 'inv', 1, $3::timestamptz + interval '2 seconds')`,
        [task.rows[0]!.id, vid, new Date(clock.getTime() - 10_000)]);
      expect((await expectNewTag('first step measured')).etaMs).toBeGreaterThan(0);
    } finally {
      await timed.cleanup();
      app = await createTestApp(t.db);
    }
  });

  it('keeps the tag across URL-expiry boundaries until the body carries a signed URL', async () => {
    let clock = new Date('2030-01-01T00:00:10Z');
    const timed = await createTestApp(t.db, { now: () => clock });
    try {
      const created = await postJson(POST, '/api/video/generate', { topic: 'Dunes', sceneCount: 2 }, { cookie: owner.cookie });
      const vid = (await created.json()).id as string;
      const poll = (tag?: string) => status(vid, tag ? { 'if-none-match': tag } : {});
      const pastBoundary = () => (clock = new Date(clock.getTime() + 300_000));
      const queued = (await poll()).headers.get('etag')!;
      pastBoundary();
      expect((await poll(queued)).status, 'queued, no URLs').toBe(304);

      await t.db.query(
        `insert into scenes (video_id, index, narration, visual_prompt, status)
         values ($1::uuid, 0, 'One', 'a', 'rendering'), ($1::uuid, 1, 'Two', 'b', 'pending')`, [vid]);
      const planned = (await poll(queued)).headers.get('etag')!;
      expect(planned).not.toBe(queued);
      pastBoundary();
      expect((await poll(planned)).status, 'scenes planned, none rendered').toBe(304);

      await t.db.query("update scenes set status = 'rendered', clip_key = $2::text where video_id = $1::uuid and index = 0", [vid, `videos/${vid}/scene-0.mp4`]);
      const rendered = (await poll(planned)).headers.get('etag')!;
      expect((await poll(rendered)).status).toBe(304);
      pastBoundary();
      const resigned = await poll(rendered);
      expect(resigned.status, 'a rendered clip is re-signed past the boundary').toBe(200);
      expect((await resigned.json()).scenes[0].clipUrl).toMatch(/scene-0\.mp4/);
    } finally {
      await timed.cleanup();
      app = await createTestApp(t.db);
    }
  });

  it("re-signs each video's URLs at that video's own boundary, not all videos in the same second", async () => {
    let clock = new Date('2030-01-01T00:00:10Z');
    const timed = await createTestApp(t.db, { now: () => clock });
    const ttl = timed.config.signedUrlTtlSeconds;
    try {
      const offset = (vid: string) => urlExpiry(0, ttl, vid) % BOUNDARY_SECONDS;
      const fresh = ownerCookie(); // this file's other tests have used up part of the shared owner's active-video cap
      const make = async (topic: string) => {
        const created = await postJson(POST, '/api/video/generate', { topic, sceneCount: 1 }, { cookie: fresh.cookie });
        expect(created.status).toBe(202);
        const vid = (await created.json()).id as string;
        await t.db.query(
          `insert into scenes (video_id, index, narration, visual_prompt, status, clip_key)
           values ($1::uuid, 0, 'One', 'a', 'rendered', $2::text)`, [vid, `videos/${vid}/scenes/0.mp4`]);
        return vid;
      };
      const vids = [await make('Boundary 1'), await make('Boundary 2'), await make('Boundary 3')];
      // Random ids: two whose boundaries are at least 10 s apart within the period.
      const gap = (x: string, y: string) => Math.min(Math.abs(offset(x) - offset(y)), BOUNDARY_SECONDS - Math.abs(offset(x) - offset(y)));
      const pair = vids.flatMap((x, i) => vids.slice(i + 1).map((y) => [x, y] as const)).find(([x, y]) => gap(x, y) >= 10);
      expect(pair, 'three random ids with every boundary within 10 s of the others').toBeDefined();
      const [a, b] = pair!;
      // Two seconds before A's URLs get a new expiry.
      const s = Math.floor(clock.getTime() / 1000);
      clock = new Date((urlExpiry(s, ttl, a) - ttl - 2 + BOUNDARY_SECONDS) * 1000);
      const poll = (vid: string, headers: Record<string, string> = {}) =>
        call(GET, { url: `/api/video/status/${vid}`, headers: { cookie: fresh.cookie, ...headers }, params: { id: vid } });
      const tagA = (await poll(a)).headers.get('etag')!;
      const tagB = (await poll(b)).headers.get('etag')!;
      clock = new Date(clock.getTime() + 3_000);
      expect((await poll(a, { 'if-none-match': tagA })).status, 'A crossed its boundary').toBe(200);
      expect((await poll(b, { 'if-none-match': tagB })).status, 'B is mid-period').toBe(304);
    } finally {
      await timed.cleanup();
      app = await createTestApp(t.db);
    }
  });

  it('reads a poll in one statement, and a poll with a current tag in one smaller one', async () => {
    let statements = 0;
    const counting = { ...t.db, kind: t.db.kind, query: ((text: string, params?: readonly unknown[]) => {
      statements++;
      return t.db.query(text, params);
    }) as typeof t.db.query, transaction: t.db.transaction.bind(t.db), close: t.db.close.bind(t.db) };
    const single = await createTestApp(counting, { env: { QUEUE_CONCURRENCY: '2' } });
    try {
      // Something measured, and the per-process step-duration cache warm: it is then read at most once
      // a minute, not per poll.
      const task = await t.db.query<{ id: string }>('select id from tasks where video_id = $1::uuid limit 1', [id]);
      await t.db.query(
        `insert into task_events (task_id, video_id, type, invocation_id, attempt, at)
         values ($1::bigint, $2::uuid, 'step_started', 'inv', 1, now() - interval '5 seconds'), ($1::bigint, $2::uuid, 'completed', 'inv', 1, now() - interval '3 seconds')`,
        [task.rows[0]!.id, id]);
      const first = await status(id);
      statements = 0;
      const full = await status(id);
      expect(full.status).toBe(200);
      expect(statements).toBe(1);
      // A current tag: one read of the versions, and a 304.
      statements = 0;
      expect((await status(id, { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
      expect(statements).toBe(1);
      // A stale tag: the versions, then the full read.
      statements = 0;
      expect((await status(id, { 'if-none-match': '"stale"' })).status).toBe(200);
      expect(statements).toBe(2);
    } finally {
      await single.cleanup();
      app = await createTestApp(t.db);
    }
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

  it('answers 404, not 304, to another owner holding the current ETag', async () => {
    const created = await postJson(POST, '/api/video/generate', { topic: 'Tagged', sceneCount: 1 }, { cookie: owner.cookie });
    const vid = (await created.json()).id as string;
    const etag = (await status(vid)).headers.get('etag')!;
    expect((await status(vid, { 'if-none-match': etag })).status).toBe(304);

    // The tag is no secret (a shared proxy or a log may show it); it must not stand in for ownership.
    const other = ownerCookie();
    const stranger = await call(GET, { url: `/api/video/status/${vid}`, headers: { cookie: other.cookie, 'if-none-match': etag }, params: { id: vid } });
    expect(stranger.status).toBe(404);
    expect((await stranger.json()).error.code).toBe('not_found');
  });
});
