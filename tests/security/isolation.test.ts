// Owners never see or touch each other's videos: cookie owners (A, B) and API-token owners (C, D),
// on every route that takes an id or lists. Another owner's video is answered exactly like a
// missing one (404 not_found), changes nothing, and leaks none of its signed file URLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as FILES } from '@/app/api/files/[...key]/route';
import { GET as ME } from '@/app/api/me/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { DELETE as SHARE_DELETE, GET as SHARE_GET, POST as SHARE_POST } from '@/app/api/video/[id]/share/route';
import { POST as ESTIMATE } from '@/app/api/video/estimate/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { GET as LIST } from '@/app/api/videos/route';
import { OWNER_COOKIE } from '@/lib/auth/owner';
import { createToken, revokeToken, type CreatedToken } from '@/lib/auth/tokens';
import { videoKeys } from '@/lib/storage/keys';
import { encodeCursor } from '@/lib/videos/list';
import type { VideoPage, VideoView } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { expectErrorResponse, fingerprint, send } from './kit';

let t: TestDatabase;
let app: TestApp;

interface Owner {
  name: string;
  id: string;
  headers: Record<string, string>;
  videos: string[];
}

const owners: Record<'A' | 'B' | 'C' | 'D', Owner> = {
  A: { name: 'A (cookie)', id: '', headers: {}, videos: [] },
  B: { name: 'B (cookie)', id: '', headers: {}, videos: [] },
  C: { name: 'C (token)', id: '', headers: {}, videos: [] },
  D: { name: 'D (token)', id: '', headers: {}, videos: [] },
};
const all = Object.values(owners);
let tokenC: CreatedToken;
let tokenC2: CreatedToken;
/** Every signed or public URL each video's owner was handed, by video id. */
const urlsOf = new Map<string, string[]>();
/** Which videos are completed (with files), queued, and cancelled. */
const done: string[] = [];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
// Tokens are checked on every request; last_used_at moving is not a change a refusal made.
const snapshot = () => fingerprint(t.db, { api_tokens: ['last_used_at'] });

function generate(o: Owner, body: unknown, headers: Record<string, string> = {}) {
  return send(GENERATE, {
    url: '/api/video/generate', method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...o.headers, ...headers },
  });
}
const status = (o: { headers: Record<string, string> }, id: string) =>
  send(STATUS, { url: `/api/video/status/${encodeURIComponent(id)}`, params: { id }, headers: o.headers });
const control = (fn: typeof CANCEL, action: string, o: { headers: Record<string, string> }, id: string) =>
  send(fn, { url: `/api/video/${encodeURIComponent(id)}/${action}`, method: 'POST', params: { id }, headers: o.headers });
const shareRoute = (fn: typeof SHARE_POST, method: string, o: { headers: Record<string, string> }, id: string) =>
  send(fn, { url: `/api/video/${encodeURIComponent(id)}/share`, method, params: { id }, headers: o.headers });
const list = (o: { headers: Record<string, string> }, qs = '') => send(LIST, { url: `/api/videos${qs}`, headers: o.headers });
const me = (o: { headers: Record<string, string> }) => send(ME, { url: '/api/me', headers: o.headers });
function fetchFile(url: string) {
  const u = new URL(url, 'http://localhost');
  const key = u.pathname.replace(/^\/api\/files\//, '').split('/').map(decodeURIComponent);
  return send(FILES, { url: u.pathname + u.search, params: { key } });
}

async function create(o: Owner, topic: string): Promise<string> {
  const res = await generate(o, { topic, sceneCount: 1 });
  expect(res.status, `${o.name} creates ${topic}`).toBe(202);
  const id = (await res.json()).id as string;
  o.videos.push(id);
  return id;
}

/** What the pipeline leaves behind for a finished video: its files in storage and the row pointing at them. */
const finalKey = (id: string) => videoKeys(id).final(`video ${id}`);

async function finish(id: string): Promise<void> {
  const k = videoKeys(id);
  const final = finalKey(id);
  await app.storage.put(final, Buffer.from(`final of ${id}`), { contentType: 'video/mp4', access: 'private' });
  await app.storage.put(k.poster, Buffer.from(`poster of ${id}`), { contentType: 'image/jpeg', access: 'public' });
  await app.storage.put(k.captions, Buffer.from(`WEBVTT\n\n${id}`), { contentType: 'text/vtt', access: 'private' });
  await app.storage.put(k.scene(0), Buffer.from(`clip of ${id}`), { contentType: 'video/mp4', access: 'private' });
  await t.db.transaction(async (tx) => {
    await tx.query(
      `insert into scenes (video_id, index, narration, visual_prompt, duration_ms, status, clip_key)
       values ($1::uuid, 0, 'narration', 'prompt', 1000, 'rendered', $2::text)`,
      [id, k.scene(0)],
    );
    await tx.query("update tasks set status = 'done' where video_id = $1::uuid", [id]);
    await tx.query(
      `update videos set status = 'completed', progress = 100, step_label = 'Done', video_key = $2::text, poster_key = $3::text,
              captions_key = $4::text, duration_ms = 1000, started_at = now(), completed_at = now(), updated_at = now()
       where id = $1::uuid`,
      [id, final, k.poster, k.captions],
    );
  });
  done.push(id);
}

function urlsIn(v: VideoView): string[] {
  return [v.videoUrl, v.downloadUrl, v.posterUrl, v.captionsUrl, ...v.scenes.map((s) => s.clipUrl)].filter((u): u is string => !!u);
}

const ownerOf = (id: string) => all.find((o) => o.videos.includes(id))!;

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { providers: fakeProviders(), env: { MAX_ACTIVE_VIDEOS: '0', STARTING_CREDITS: '1000' } });
  const now = new Date();
  for (const k of ['A', 'B'] as const) {
    const c = ownerCookie();
    owners[k].id = c.ownerId;
    owners[k].headers = { cookie: c.cookie };
  }
  tokenC = await createToken(t.db, { name: 'C', credits: 1000, now });
  tokenC2 = await createToken(t.db, { name: 'C, second token', credits: 0, ownerId: tokenC.ownerId, now });
  const tokenD = await createToken(t.db, { name: 'D', credits: 1000, now });
  owners.C.id = tokenC.ownerId;
  owners.C.headers = bearer(tokenC.token);
  owners.D.id = tokenD.ownerId;
  owners.D.headers = bearer(tokenD.token);

  // A and C: one finished (with signed files), one queued (cancellable), one cancelled (retryable).
  // B and D: one finished each, so they hold genuine signed links of their own.
  for (const o of [owners.A, owners.C]) {
    await finish(await create(o, `${o.name} finished`));
    await create(o, `${o.name} queued`);
    const cancelled = await create(o, `${o.name} cancelled`);
    expect((await control(CANCEL, 'cancel', o, cancelled)).status).toBe(200);
  }
  for (const o of [owners.B, owners.D]) await finish(await create(o, `${o.name} finished`));

  for (const id of done) {
    const res = await status(ownerOf(id), id);
    expect(res.status).toBe(200);
    urlsOf.set(id, urlsIn(await res.json()));
  }
  // A's finished video is shared: another owner's DELETE that got through would revoke it.
  expect((await shareRoute(SHARE_POST, 'POST', owners.A, done[0]!)).status).toBe(201);
  // Every owner row exists now, so nothing below creates one.
  for (const o of all) expect((await me(o)).status).toBe(200);
});

afterAll(async () => {
  await app?.cleanup();
  await t?.drop();
});

describe('each owner reaches its own videos (the baseline the 404s below are measured against)', () => {
  it('owners see their finished videos with working signed URLs', async () => {
    for (const id of done) {
      const urls = urlsOf.get(id)!;
      expect(urls).toHaveLength(5);
      for (const u of urls) expect(u).toContain(`/api/files/videos/${id}/`);
      const video = urls[0]!;
      expect(video).toMatch(/[?&]sig=/);
      const res = await fetchFile(video);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(`final of ${id}`);
    }
  });

  it('each owner lists exactly its own videos, and a token owner and a cookie owner are kept apart', async () => {
    for (const o of all) {
      const page: VideoPage = await (await list(o)).json();
      expect(page.videos.map((v) => v.id).sort(), o.name).toEqual([...o.videos].sort());
      // Every owner's topics contain "finished" and "(": a search finds the caller's own only.
      for (const qs of ['?q=FINISHED', '?q=(', '?q=finished&status=completed', '?status=completed,queued,cancelled']) {
        const found: VideoPage = await (await list(o, qs)).json();
        expect(found.videos.length, `${o.name} ${qs}`).toBeGreaterThan(0);
        expect(found.videos.every((v) => o.videos.includes(v.id)), `${o.name} ${qs}`).toBe(true);
      }
    }
  });
});

describe('another owner\'s video is a 404 on every id route, and nothing changes', () => {
  const routes = [
    { name: 'status', call: (o: Owner, id: string) => status(o, id) },
    { name: 'cancel', call: (o: Owner, id: string) => control(CANCEL, 'cancel', o, id) },
    { name: 'retry', call: (o: Owner, id: string) => control(RETRY, 'retry', o, id) },
    { name: 'share', call: (o: Owner, id: string) => shareRoute(SHARE_POST, 'POST', o, id) },
    { name: 'share read', call: (o: Owner, id: string) => shareRoute(SHARE_GET, 'GET', o, id) },
    { name: 'share revoke', call: (o: Owner, id: string) => shareRoute(SHARE_DELETE, 'DELETE', o, id) },
  ];

  it.each(['A', 'B', 'C', 'D'] as const)('as %s', async (who) => {
    const attacker = owners[who];
    const victims = all.filter((o) => o !== attacker).flatMap((o) => o.videos);
    expect(victims.length).toBeGreaterThanOrEqual(4);
    const before = await snapshot();
    for (const id of victims) {
      for (const variant of [id, id.toUpperCase()]) {
        for (const r of routes) {
          const label = `${attacker.name} ${r.name} ${ownerOf(id).name}'s ${variant}`;
          const res = await r.call(attacker, variant);
          const text = await res.clone().text();
          await expectErrorResponse(res, { status: 404, code: 'not_found' }, label);
          // The answer is the one a missing video gets: no id, no URL, nothing about the video.
          expect(text, label).toBe(JSON.stringify({ error: { code: 'not_found', message: 'No video with this id.' } }));
        }
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the same requests by the owner do work: cancel a queued video, retry a cancelled one', async () => {
    for (const o of [owners.A, owners.C]) {
      const [, queued, cancelled] = o.videos;
      expect((await control(CANCEL, 'cancel', o, queued!)).status).toBe(200);
      expect((await control(RETRY, 'retry', o, cancelled!)).status).toBe(202);
    }
  });
});

describe('lists never cross owners', () => {
  it('paging one video at a time visits only the caller\'s videos', async () => {
    for (const o of all) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(o, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        const page: VideoPage = await res.json();
        seen.push(...page.videos.map((v) => v.id));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 20);
      expect(seen.sort(), o.name).toEqual([...o.videos].sort());
    }
  });

  it('another owner\'s cursor, or one forged from another owner\'s video, still lists only the caller\'s own', async () => {
    const aPage: VideoPage = await (await list(owners.A, '?limit=1')).json();
    expect(aPage.nextCursor).not.toBeNull();
    const a1 = (await t.db.query<{ id: string; created_at: Date }>('select id, created_at from videos where id = $1::uuid', [owners.A.videos[0]])).rows[0]!;
    const forged = encodeCursor(new Date(a1.created_at.getTime() + 1), a1.id);
    for (const c of [aPage.nextCursor!, forged]) {
      for (const o of [owners.B, owners.D]) {
        const page: VideoPage = await (await list(o, `?cursor=${c}`)).json();
        for (const v of page.videos) expect(o.videos, o.name).toContain(v.id);
      }
    }
  });
});

describe('signed file URLs stay with their owner', () => {
  it('nothing B or D is told contains another owner\'s ids or URLs', async () => {
    for (const o of [owners.B, owners.D]) {
      const foreign = all.filter((x) => x !== o).flatMap((x) => x.videos);
      const foreignUrls = foreign.flatMap((id) => urlsOf.get(id) ?? []);
      const texts = [
        await (await list(o)).text(),
        await (await me(o)).text(),
        ...(await Promise.all(o.videos.map(async (id) => (await status(o, id)).text()))),
        ...(await Promise.all(foreign.map(async (id) => (await status(o, id)).text()))),
      ];
      for (const text of texts) {
        for (const id of foreign) expect(text, o.name).not.toContain(id);
        for (const u of foreignUrls) expect(text, o.name).not.toContain(new URL(u, 'http://x').searchParams.get('sig') ?? u);
      }
    }
  });

  it('B cannot reach A\'s private files by guessing or by reusing its own signature', async () => {
    const a1 = owners.A.videos[0]!;
    const b1 = owners.B.videos[0]!;
    const k = videoKeys(a1);
    const bQuery = (kind: 'video' | 'download') => {
      const bUrls = urlsOf.get(b1)!;
      return new URL(kind === 'video' ? bUrls[0]! : bUrls[1]!, 'http://x').search;
    };
    const attempts = [
      `/api/files/${finalKey(a1)}`,
      `/api/files/${k.captions}`,
      `/api/files/${k.scene(0)}`,
      `/api/files/${finalKey(a1)}${bQuery('video')}`,
      `/api/files/${finalKey(a1)}${bQuery('download')}`,
      `/api/files/${k.captions}${bQuery('video')}`,
      `/api/files/${k.scene(0)}${bQuery('video')}`,
    ];
    for (const a of attempts) {
      const res = await fetchFile(a);
      const body = await expectErrorResponse(res, { status: 403, code: 'forbidden' }, a);
      expect(JSON.stringify(body)).not.toContain(`final of ${a1}`);
    }
    // Nor can a store listing be had: folders are not objects.
    for (const dir of [`/api/files/videos/${a1}`, `/api/files/videos/${a1}/scenes`, '/api/files/videos']) {
      await expectErrorResponse(await fetchFile(dir), { status: 404, code: 'not_found' }, dir);
    }
    // B's own links keep working, so the refusals are about the key, not a broken signer.
    const own = await fetchFile(urlsOf.get(b1)![0]!);
    expect(own.status).toBe(200);
    expect(await own.text()).toBe(`final of ${b1}`);
  });
});

describe('API tokens', () => {
  it('a revoked token stops working at once, on every route, while the owner\'s other token goes on', async () => {
    const c2 = { headers: bearer(tokenC2.token) };
    const c1 = owners.C.videos[0]!;
    expect((await status(c2, c1)).status).toBe(200);
    expect(await revokeToken(t.db, tokenC2.id, new Date())).toBe(true);

    const before = await snapshot();
    const json = { 'content-type': 'application/json' };
    const attempts: [string, () => Promise<Response>][] = [
      ['status', () => status(c2, c1)],
      ['list', () => list(c2)],
      ['me', () => me(c2)],
      ['cancel', () => control(CANCEL, 'cancel', c2, owners.C.videos[1]!)],
      ['retry', () => control(RETRY, 'retry', c2, owners.C.videos[1]!)],
      ['generate', () => send(GENERATE, { url: '/api/video/generate', method: 'POST', body: '{"topic":"after revoke"}', headers: { ...c2.headers, ...json } })],
      ['estimate', () => send(ESTIMATE, { url: '/api/video/estimate', method: 'POST', body: '{"topic":"after revoke"}', headers: { ...c2.headers, ...json } })],
    ];
    for (const [name, go] of attempts) {
      await expectErrorResponse(await go(), { status: 401, code: 'unauthorized' }, `revoked token: ${name}`);
    }
    expect(await snapshot()).toEqual(before);
    expect((await status(owners.C, c1)).status).toBe(200);
  });

  it('a token wins over a cookie sent with it: the request acts as the token\'s owner', async () => {
    const both = { headers: { ...owners.A.headers, ...owners.C.headers } };
    const page: VideoPage = await (await list(both)).json();
    expect(page.videos.map((v) => v.id).sort()).toEqual([...owners.C.videos].sort());
    expect((await status(both, owners.A.videos[0]!)).status).toBe(404);
  });

  it('a cookie cannot claim a token owner (or another cookie owner) by forging its id', async () => {
    const bSig = owners.B.headers.cookie!.split('.').pop()!;
    const forgeries = [
      { as: owners.C, cookie: `${OWNER_COOKIE}=${owners.C.id}.${bSig}` },
      { as: owners.C, cookie: `${OWNER_COOKIE}=${owners.C.id}` },
      { as: owners.A, cookie: `${OWNER_COOKIE}=${owners.A.id}.${bSig}` },
      { as: owners.A, cookie: `${OWNER_COOKIE}=${encodeURIComponent(`${owners.A.id}.x`)}` },
    ];
    for (const f of forgeries) {
      const res = await status({ headers: { cookie: f.cookie } }, f.as.videos[0]!);
      await expectErrorResponse(res, { status: 404, code: 'not_found' }, f.cookie);
      const page: VideoPage = await (await list({ headers: { cookie: f.cookie } })).json();
      expect(page.videos).toEqual([]);
    }
  });

  it('the same Idempotency-Key and body from a cookie owner and a token owner make two private videos', async () => {
    const key = { 'idempotency-key': 'shared-key-1' };
    const ra = await generate(owners.A, { topic: 'Same request' }, key);
    const rc = await generate(owners.C, { topic: 'Same request' }, key);
    expect(ra.status).toBe(202);
    expect(rc.status).toBe(202);
    const a = (await ra.json()).id as string;
    const c = (await rc.json()).id as string;
    expect(a).not.toBe(c);
    expect((await status(owners.C, a)).status).toBe(404);
    expect((await status(owners.A, c)).status).toBe(404);
    // A replay by C returns C's video, never A's.
    const replay = await generate(owners.C, { topic: 'Same request' }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await replay.json()).id).toBe(c);
  });
});
