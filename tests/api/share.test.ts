// Share links: POST/GET/DELETE /api/video/[id]/share for the owner of a finished video, and the public
// page /s/[token], which answers 404 as soon as the link is revoked.
import { randomUUID } from 'node:crypto';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DELETE, GET, POST } from '@/app/api/video/[id]/share/route';
import { DELETE as DELETE_VIDEO } from '@/app/api/video/[id]/route';
import SharedVideoPage, { generateMetadata } from '@/app/s/[token]/page';
import { hashToken } from '@/lib/auth/tokens';
import { videoKeys } from '@/lib/storage/keys';
import { createShare, loadSharedVideo } from '@/lib/videos/share';
import { urlSigner } from '@/lib/videos/urls';
import type { VideoStatus } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { BASE, call, ownerCookie } from '../helpers/http';
import { withAppRouter } from '../helpers/router';
import { fingerprint } from '../security/kit';

// The page reads the request's Host through next/headers, which only exists inside a Next.js request;
// here it is the host the tests' requests use. (The real request path is proven in tests/process/share-page.test.ts.)
vi.mock('next/headers', () => ({ headers: async () => new Headers({ host: 'localhost:3000' }) }));

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
const stranger = ownerCookie();
const T0 = Date.parse('2031-05-01T12:00:00Z');
let clock = T0;

type Route = typeof POST;
const send = (fn: Route, method: string, id: string, cookie = owner.cookie) =>
  call(fn, { url: `/api/video/${id}/share`, method, headers: { cookie }, params: { id } });
const share = (id: string, cookie?: string) => send(POST, 'POST', id, cookie);
const revoke = (id: string, cookie?: string) => send(DELETE, 'DELETE', id, cookie);
const current = (id: string, cookie?: string) => send(GET, 'GET', id, cookie);
const tokenOf = (url: string) => new URL(url).pathname.replace(/^\/s\//, '');

/** A video row as the pipeline leaves it, with its files in the store when completed. */
async function video(ownerId: string, status: VideoStatus, topic = 'How do bees make honey?'): Promise<string> {
  const id = randomUUID();
  const k = videoKeys(id);
  const done = status === 'completed';
  await t.db.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status,
                         video_key, poster_key, captions_key, duration_ms, created_at)
     values ($1::uuid, $2::text, 'h', $3::text, 1, '16:9', '720p', $4::text, $5::text, $6::text, $7::text, $8::int, $9::timestamptz)`,
    [id, ownerId, topic, status, done ? k.final(topic) : null, done ? k.poster : null, done ? k.captions : null, done ? 4000 : null, new Date(T0)],
  );
  if (done) {
    await app.storage.put(k.final(topic), Buffer.from('mp4'), { contentType: 'video/mp4', access: 'private' });
    await app.storage.put(k.poster, Buffer.from('jpg'), { contentType: 'image/jpeg', access: 'public' });
    await app.storage.put(k.captions, Buffer.from('WEBVTT\n'), { contentType: 'text/vtt', access: 'private' });
  }
  return id;
}

/** The public page as Next.js renders it: its metadata and its markup, or the 404 notFound() raises. */
async function publicPage(token: string): Promise<{ status: 200; html: string; meta: Awaited<ReturnType<typeof generateMetadata>> } | { status: 404 }> {
  const props = { params: Promise.resolve({ token }) };
  try {
    const meta = await generateMetadata(props);
    const html = renderToStaticMarkup(withAppRouter(await SharedVideoPage(props)));
    return { status: 200, html, meta };
  } catch (err) {
    if ((err as { digest?: string }).digest === 'NEXT_HTTP_ERROR_FALLBACK;404') return { status: 404 };
    throw err;
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { now: () => new Date(clock) });
});
beforeEach(() => {
  clock = T0;
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

describe('POST /api/video/[id]/share', () => {
  it('makes one link for a finished video (201), and answers with the same one again (200)', async () => {
    const id = await video(owner.ownerId, 'completed');
    const first = await share(id);
    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const { url } = await first.json();
    expect(url).toMatch(new RegExp(`^${BASE}/s/[A-Za-z0-9_-]{43}$`));
    const again = await share(id);
    expect(again.status).toBe(200);
    expect((await again.json()).url).toBe(url);
    expect((await (await current(id)).json()).url).toBe(url);
    // Only the hash is stored, and there is one share row.
    const rows = await t.db.query<{ token_hash: string }>('select token_hash from video_shares where video_id = $1::uuid', [id]);
    expect(rows.rows).toEqual([{ token_hash: hashToken(tokenOf(url)) }]);
    expect(JSON.stringify(rows.rows)).not.toContain(tokenOf(url));
  });

  it('answers two racing requests with the same link', async () => {
    const id = await video(owner.ownerId, 'completed');
    const [a, b] = await Promise.all([createShare(t.db, owner.ownerId, id, app.secret, new Date(T0)), createShare(t.db, owner.ownerId, id, app.secret, new Date(T0))]);
    expect(a.token).toBe(b.token);
    expect([a.created, b.created].sort()).toEqual([false, true]);
  });

  it('refuses a video that is not finished with 409, changing nothing', async () => {
    for (const status of ['queued', 'rendering', 'failed', 'cancelled'] as const) {
      const id = await video(owner.ownerId, status);
      const before = await fingerprint(t.db);
      const res = await share(id);
      expect(res.status, status).toBe(409);
      expect((await res.json()).error.code).toBe('conflict');
      expect(await t.db.query('select 1 from video_shares where video_id = $1::uuid', [id])).toMatchObject({ rowCount: 0 });
      expect(await fingerprint(t.db)).toEqual(before);
    }
  });

  it('answers another owner, an unknown id and a malformed id with 404 on every method, changing nothing', async () => {
    const id = await video(owner.ownerId, 'completed');
    const { url } = await (await share(id)).json();
    const countShares = async () => (await t.db.query<{ n: number; active: number }>(
      'select count(*)::int as n, count(*) filter (where revoked_at is null)::int as active from video_shares')).rows[0];
    const before = await countShares();
    for (const [target, cookie] of [[id, stranger.cookie], [randomUUID(), owner.cookie], ['not-a-uuid', owner.cookie]] as const) {
      for (const [fn, method] of [[POST, 'POST'], [DELETE, 'DELETE'], [GET, 'GET']] as const) {
        const res = await send(fn, method, target, cookie);
        expect(res.status, `${method} ${target}`).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
      }
    }
    expect(await countShares()).toEqual(before);
    expect((await publicPage(tokenOf(url))).status).toBe(200);
  });
});

describe('the public page /s/[token]', () => {
  it('shows the title, the player with signed URLs, the poster and captions, and Open Graph tags; nothing of the owner', async () => {
    const id = await video(owner.ownerId, 'completed', 'Why is the sky blue?');
    const { url } = await (await share(id)).json();
    const page = await publicPage(tokenOf(url));
    if (page.status !== 200) throw new Error('expected the page');
    const poster = `${BASE}/api/files/videos/${id}/poster.jpg`;
    expect(page.meta.title).toBe('Why is the sky blue?');
    expect(page.meta.openGraph).toMatchObject({
      type: 'video.other',
      title: 'Why is the sky blue?',
      images: [{ url: poster, width: 1280, height: 720 }],
      videos: [{ type: 'video/mp4', width: 1280, height: 720 }],
    });
    const og = page.meta.openGraph as { videos: { url: string }[] };
    expect(og.videos[0]!.url).toMatch(new RegExp(`^${BASE}/api/files/videos/${id}/.*\\.mp4\\?exp=\\d+&sig=`));
    expect(page.meta.twitter).toMatchObject({ card: 'summary_large_image', title: 'Why is the sky blue?', images: [poster] });
    expect(page.html).toContain('<h1 class="video-topic" dir="auto">Why is the sky blue?</h1>');
    expect(page.html).toMatch(/<video [^>]*src="http:\/\/localhost:3000\/api\/files\/videos\/[^"]+\.mp4\?exp=\d+&amp;sig=[^"]+"/);
    expect(page.html).toContain(`poster="${poster}"`);
    expect(page.html).toMatch(/<track kind="captions" src="[^"]+captions\.vtt\?exp=\d+&amp;sig=/);
    // Read-only: no owner actions, no owner id anywhere.
    expect(page.html).not.toMatch(/<button|<form|Delete|Cancel|Retry|Stop sharing|Download/);
    expect(page.html + JSON.stringify(page.meta)).not.toContain(owner.ownerId);
  });

  it('re-signs on every view: the media URLs expire as everywhere else', async () => {
    const id = await video(owner.ownerId, 'completed');
    const { url } = await (await share(id)).json();
    const sign = (at: number) => urlSigner(app.storage, new Date(at), app.config.signedUrlTtlSeconds, id);
    const now = await loadSharedVideo(t.db, tokenOf(url), () => sign(T0));
    const later = await loadSharedVideo(t.db, tokenOf(url), () => sign(T0 + 3600_000));
    const exp = (u: string | null | undefined) => Number(new URL(u!, BASE).searchParams.get('exp'));
    expect(exp(now?.videoUrl)).toBe(sign(T0).expiresAt);
    expect(exp(later?.videoUrl)).toBeGreaterThan(exp(now?.videoUrl));
    expect(exp(now?.videoUrl) - T0 / 1000).toBeLessThanOrEqual(app.config.signedUrlTtlSeconds + 300);
  });

  it('answers 404 for an unknown token, a malformed one, and a deleted video', async () => {
    expect((await publicPage('A'.repeat(43))).status).toBe(404);
    expect((await publicPage('not a token')).status).toBe(404);
    expect((await publicPage(`${'A'.repeat(43)}'--`)).status).toBe(404);
    const id = await video(owner.ownerId, 'completed');
    const { url } = await (await share(id)).json();
    expect((await publicPage(tokenOf(url))).status).toBe(200);
    const del = await call(DELETE_VIDEO, { url: `/api/video/${id}`, method: 'DELETE', headers: { cookie: owner.cookie }, params: { id } });
    expect(del.status).toBe(204);
    expect((await publicPage(tokenOf(url))).status).toBe(404);
  });

  it('revoking answers 404 at once; a new share gets a new token and the old one stays 404', async () => {
    const id = await video(owner.ownerId, 'completed');
    const { url: first } = await (await share(id)).json();
    expect((await publicPage(tokenOf(first))).status).toBe(200);

    const res = await revoke(id);
    expect(res.status).toBe(204);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await publicPage(tokenOf(first))).status).toBe(404);
    expect((await (await current(id)).json()).url).toBeNull();
    // Revoking again is not an error: the link is gone either way.
    expect((await revoke(id)).status).toBe(204);

    clock = T0 + 60_000;
    const again = await share(id);
    expect(again.status).toBe(201);
    const { url: second } = await again.json();
    expect(second).not.toBe(first);
    expect((await publicPage(tokenOf(second))).status).toBe(200);
    expect((await publicPage(tokenOf(first))).status).toBe(404);
    const rows = await t.db.query<{ revoked: boolean }>(
      'select revoked_at is not null as revoked from video_shares where video_id = $1::uuid order by created_at', [id]);
    expect(rows.rows).toEqual([{ revoked: true }, { revoked: false }]);
  });

  it('a link made under another signing secret is replaced, not handed out broken', async () => {
    const id = await video(owner.ownerId, 'completed');
    const old = await createShare(t.db, owner.ownerId, id, 'an-older-signing-secret-0123456789', new Date(T0));
    const res = await share(id);
    expect(res.status).toBe(201);
    const { url } = await res.json();
    expect(tokenOf(url)).not.toBe(old.token);
    expect((await publicPage(tokenOf(url))).status).toBe(200);
    expect((await publicPage(old.token)).status).toBe(404);
  });
});
