// A share link through a real `next start`: the public page's HTML carries the Open Graph tags and the
// player, is never cached, and answers 404 on the very next request after its owner revokes it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueOwnerCookie, OWNER_COOKIE } from '@/lib/auth/owner';
import { LocalStorage } from '@/lib/storage/local';
import { videoKeys } from '@/lib/storage/keys';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ensureBuild, killAllServers, startServer, type ServerProcess } from '../helpers/server';

const SECRET = 'share-page-test-secret-0123456789';
const TOPIC = 'Why is the sky blue? <script>alert(1)</script>';

let t: TestDatabase;
let dataDir: string;
let server: ServerProcess;
const owner = issueOwnerCookie(SECRET, false);
const stranger = issueOwnerCookie(SECRET, false);
let videoId: string;

const cookieOf = (o: { value: string }) => `${OWNER_COOKIE}=${o.value}`;

function api(method: string, id: string, who = owner, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}/api/video/${id}/share`, {
    method, headers: { cookie: cookieOf(who), origin: server.baseUrl, ...headers },
  });
}

/** The value of a <meta property|name="…"> in the page's HTML (React escapes the attribute). */
function meta(html: string, key: string): string | undefined {
  const m = new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`).exec(html);
  return m?.[1]?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
}

beforeAll(async () => {
  await ensureBuild();
  t = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-share-'));
  // A finished video, as the pipeline leaves it: its row and its three files in the server's store.
  videoId = randomUUID();
  const k = videoKeys(videoId);
  const storage = new LocalStorage({ root: path.join(dataDir, 'storage'), secret: SECRET });
  await storage.put(k.final(TOPIC), Buffer.from('fake mp4 bytes'), { contentType: 'video/mp4', access: 'private' });
  await storage.put(k.poster, Buffer.from('fake jpeg bytes'), { contentType: 'image/jpeg', access: 'public' });
  await storage.put(k.captions, Buffer.from('WEBVTT\n'), { contentType: 'text/vtt', access: 'private' });
  await t.db.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status,
                         video_key, poster_key, captions_key, duration_ms, completed_at)
     values ($1::uuid, $2::text, 'h', $3::text, 1, '9:16', '720p', 'completed', $4::text, $5::text, $6::text, 4000, now())`,
    [videoId, owner.id, TOPIC, k.final(TOPIC), k.poster, k.captions],
  );
  server = await startServer({ databaseUrl: t.url!, dataDir, env: { SIGNING_SECRET: SECRET, SCHEDULER: 'off' } });
}, 420_000);
afterAll(async () => {
  await killAllServers();
  await t?.drop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('share page through next start', () => {
  let token = '';

  it('the owner shares (201, then 200 with the same link); a cross-site POST and another owner are refused', async () => {
    const evil = await api('POST', videoId, owner, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const other = await api('POST', videoId, stranger);
    expect(other.status).toBe(404);
    expect((await t.db.query('select 1 from video_shares')).rowCount).toBe(0);

    const first = await api('POST', videoId);
    expect(first.status).toBe(201);
    const { url } = await first.json();
    expect(url).toMatch(new RegExp(`^${server.baseUrl}/s/[A-Za-z0-9_-]{43}$`));
    token = new URL(url).pathname.split('/').pop()!;
    const again = await api('POST', videoId);
    expect(again.status).toBe(200);
    expect((await again.json()).url).toBe(url);
  });

  it('serves the public page to anyone: OG tags with absolute URLs, the player, poster and captions, never cached', async () => {
    const res = await fetch(`${server.baseUrl}/s/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const html = await res.text();
    const poster = `${server.baseUrl}/api/files/videos/${videoId}/poster.jpg`;
    expect(meta(html, 'og:title')).toBe(TOPIC);
    expect(meta(html, 'og:type')).toBe('video.other');
    expect(meta(html, 'og:image')).toBe(poster);
    expect(meta(html, 'og:image:width')).toBe('720');
    expect(meta(html, 'og:image:height')).toBe('1280');
    expect(meta(html, 'og:video')).toMatch(new RegExp(`^${server.baseUrl}/api/files/videos/${videoId}/[^?]+\\.mp4\\?exp=\\d+&sig=`));
    expect(meta(html, 'og:video:type')).toBe('video/mp4');
    expect(meta(html, 'twitter:card')).toBe('summary_large_image');
    expect(meta(html, 'twitter:image')).toBe(poster);
    expect(meta(html, 'robots')).toBe('noindex, nofollow');
    // The topic is text, never markup.
    expect(html).not.toContain('<script>alert(1)</script>');

    const video = /<video [^>]*src="([^"]+)"[^>]*poster="([^"]+)"/.exec(html);
    expect(video).not.toBeNull();
    const track = /<track kind="captions" src="([^"]+)"/.exec(html);
    expect(track).not.toBeNull();
    // Every URL the page hands out works for a visitor with no cookie.
    for (const u of [video![1]!, video![2]!, track![1]!]) {
      const file = await fetch(new URL(u.replace(/&amp;/g, '&'), server.baseUrl));
      expect(file.status, u).toBe(200);
    }
    // Read-only, and nothing of the owner.
    expect(html).not.toContain(owner.id);
    expect(html).not.toMatch(/Delete video|Cancel video|Stop sharing/);

    // A visitor who already has an identity gets no cookie from the proxy, and so no header from it either:
    // the page's own answer is uncacheable too.
    const returning = await fetch(`${server.baseUrl}/s/${token}`, { headers: { cookie: cookieOf(stranger) } });
    expect(returning.status).toBe(200);
    expect(returning.headers.get('set-cookie')).toBeNull();
    expect(returning.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('revoking answers 404 on the very next request; a new share is a new link and the old stays 404', async () => {
    const del = await api('DELETE', videoId);
    expect(del.status).toBe(204);
    const gone = await fetch(`${server.baseUrl}/s/${token}`, { headers: { cookie: cookieOf(stranger) } });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('cache-control')).toMatch(/no-store/);
    expect(await gone.text()).not.toContain(TOPIC);

    const again = await api('POST', videoId);
    expect(again.status).toBe(201);
    const next = new URL((await again.json()).url).pathname.split('/').pop()!;
    expect(next).not.toBe(token);
    expect((await fetch(`${server.baseUrl}/s/${next}`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/s/${token}`)).status).toBe(404);
  });

  it('an unknown or malformed token is 404', async () => {
    for (const p of [`/s/${'A'.repeat(43)}`, '/s/short', `/s/${'A'.repeat(43)}%27--`]) {
      expect((await fetch(`${server.baseUrl}${p}`)).status, p).toBe(404);
    }
  });
});
