import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/video/generate/route';
import { GET } from '@/app/api/videos/route';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
const created: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  let clock = Date.parse('2030-01-01T00:00:00Z');
  app = await createTestApp(t.db, { now: () => new Date((clock += 1000)) });
  for (let i = 0; i < 5; i++) {
    const res = await postJson(POST, '/api/video/generate', { topic: `Video ${i}` }, { cookie: owner.cookie });
    created.push((await res.json()).id);
  }
  await postJson(POST, '/api/video/generate', { topic: 'Someone else' }, { cookie: ownerCookie().cookie });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

const list = (qs: string, cookie = owner.cookie) => call(GET, { url: `/api/videos${qs}`, headers: { cookie } });

describe('GET /api/videos', () => {
  it('lists only the caller\'s videos, newest first', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.videos.map((v: { id: string }) => v.id)).toEqual([...created].reverse());
    expect(page.nextCursor).toBeNull();
    expect(page.videos[0]).toMatchObject({ topic: 'Video 4', status: 'queued', progress: 0, aspectRatio: '16:9', posterUrl: null });
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page: { videos: { id: string }[]; nextCursor: string | null } = await res.json();
      seen.push(...page.videos.map((v) => v.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
  });

  it('rejects a forged cursor and a bad limit with 4xx JSON', async () => {
    const bad = await list('?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_request');
    for (const qs of ['?limit=0', '?limit=51', '?limit=abc']) {
      const res = await list(qs);
      expect(res.status, qs).toBe(422);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
  });

  it('rejects a cursor whose date does not exist (2019-02-30) with 400, not a 500 from PostgreSQL', async () => {
    const impossible = Buffer.from(JSON.stringify({ c: '2019-02-30T00:00:00.000Z', i: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    const res = await list(`?cursor=${impossible}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
  });

  it('replaces an owner cookie with a malformed %-escape instead of failing', async () => {
    const res = await list('', 'cf_owner=%E0%A4%A');
    expect(res.status).toBe(200);
    expect((await res.json()).videos).toEqual([]);
    expect(res.headers.get('set-cookie')).toMatch(/^cf_owner=anon_/);
  });

  it('a new visitor has an empty list', async () => {
    const res = await list('', '');
    expect((await res.json()).videos).toEqual([]);
  });
});
