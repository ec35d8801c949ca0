// GET /api/videos?q=&status=: a case-insensitive, literal substring of the topic and a status filter,
// both with the owner's cursor pagination, and only ever the caller's own videos.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/videos/route';
import { listVideos } from '@/lib/videos/list';
import { urlSigner } from '@/lib/videos/urls';
import type { VideoStatus } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { adapters, createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
const stranger = ownerCookie();
const T0 = Date.parse('2030-01-01T00:00:00Z');
let seq = 0;

/** A video row as the pipeline leaves it; each one a second newer than the last. */
async function video(ownerId: string, topic: string, status: VideoStatus = 'queued'): Promise<string> {
  const id = randomUUID();
  await t.db.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status, created_at)
     values ($1::uuid, $2::text, 'h', $3::text, 1, '16:9', '720p', $4::text, $5::timestamptz)`,
    [id, ownerId, topic, status, new Date(T0 + ++seq * 1000)],
  );
  return id;
}

interface Page {
  videos: { id: string; topic: string; status: VideoStatus }[];
  nextCursor: string | null;
}

async function list(params: Record<string, string>, cookie = owner.cookie): Promise<Response> {
  return call(GET, { url: `/api/videos?${new URLSearchParams(params)}`, headers: { cookie } });
}

async function topics(params: Record<string, string>, cookie = owner.cookie): Promise<string[]> {
  const res = await list(params, cookie);
  expect(res.status).toBe(200);
  return ((await res.json()) as Page).videos.map((v) => v.topic);
}

/** Every page, following nextCursor, as the UI's "Load more" does. */
async function allPages(params: Record<string, string>): Promise<{ topics: string[]; pages: number }> {
  const out: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list({ ...params, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    out.push(...page.videos.map((v) => v.topic));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { topics: out, pages };
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db);
  await video(owner.ownerId, 'How do bees make honey?', 'completed');
  await video(owner.ownerId, 'BEEKEEPING for beginners', 'failed');
  await video(owner.ownerId, 'Volcanoes of Iceland', 'completed');
  await video(owner.ownerId, 'Save 100% of the heat', 'completed');
  await video(owner.ownerId, 'Save 100 ways', 'completed');
  await video(owner.ownerId, 'snake_case names', 'rendering');
  await video(owner.ownerId, 'snakeXcase names', 'rendering');
  await video(owner.ownerId, 'a back\\slash story', 'cancelled');
  await video(owner.ownerId, 'a backslash story', 'cancelled');
  // The stranger's videos match every search above; none of them may ever show.
  for (const topic of ['Bees of the stranger', 'Stranger 100% heat', 'stranger snake_case', 'stranger back\\slash', 'Bee paged stranger']) {
    await video(stranger.ownerId, topic, 'completed');
  }
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});

describe('GET /api/videos?q=', () => {
  it('matches a case-insensitive substring of the topic, newest first, trimmed', async () => {
    expect(await topics({ q: 'bee' })).toEqual(['BEEKEEPING for beginners', 'How do bees make honey?']);
    expect(await topics({ q: '  BeEs ' })).toEqual(['How do bees make honey?']);
    expect(await topics({ q: 'ICELAND' })).toEqual(['Volcanoes of Iceland']);
    expect(await topics({ q: 'nothing like this' })).toEqual([]);
  });

  it('treats %, _ and \\ as the characters they are, not as wildcards', async () => {
    expect(await topics({ q: '100%' })).toEqual(['Save 100% of the heat']);
    expect(await topics({ q: '%' })).toEqual(['Save 100% of the heat']);
    expect(await topics({ q: 'e_c' })).toEqual(['snake_case names']);
    expect(await topics({ q: '_' })).toEqual(['snake_case names']);
    expect(await topics({ q: 'k\\s' })).toEqual(['a back\\slash story']);
    expect(await topics({ q: '\\' })).toEqual(['a back\\slash story']);
  });

  it('a blank q is no search', async () => {
    expect(await topics({ q: '   ' })).toHaveLength(9);
    expect(await topics({ q: '' })).toHaveLength(9);
  });

  it('never shows another owner’s videos, whatever the search', async () => {
    for (const q of ['bee', '100%', 'snake_case', '\\', 'stranger']) {
      const mine = await topics({ q });
      expect(mine.filter((x) => /stranger/i.test(x)), q).toEqual([]);
    }
    // And the stranger sees theirs, and only theirs.
    expect(await topics({ q: 'bee' }, stranger.cookie)).toEqual(['Bee paged stranger', 'Bees of the stranger']);
  });
});

describe('GET /api/videos?status=', () => {
  it('keeps only the videos in the status, or in any of a comma list', async () => {
    expect(await topics({ status: 'failed' })).toEqual(['BEEKEEPING for beginners']);
    expect(await topics({ status: 'rendering,cancelled' })).toEqual([
      'a backslash story', 'a back\\slash story', 'snakeXcase names', 'snake_case names',
    ]);
    expect(await topics({ status: 'planning' })).toEqual([]);
  });

  it('combines with q', async () => {
    expect(await topics({ q: 'bee', status: 'completed' })).toEqual(['How do bees make honey?']);
    expect(await topics({ q: 'save', status: 'completed,failed' })).toEqual(['Save 100 ways', 'Save 100% of the heat']);
  });

  it('refuses an unknown status, an empty one, a too-long or NUL-bearing q, and unknown parameters with 422 JSON', async () => {
    const bad: Record<string, string>[] = [
      { status: 'done' }, { status: 'completed,done' }, { status: '' }, { status: 'completed,' },
      { q: 'x'.repeat(101) }, { q: 'a\u0000b' }, { search: 'bee' },
    ];
    for (const params of bad) {
      const res = await list(params);
      expect(res.status, JSON.stringify(params)).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('validation_failed');
      expect(typeof body.error.message).toBe('string');
    }
    // 100 characters is still a search.
    expect((await list({ q: 'x'.repeat(100) })).status).toBe(200);
  });
});

describe('filters with cursor pagination', () => {
  it('pages through q + status without gaps or repeats, and only through matches', async () => {
    const expected: string[] = [];
    for (let i = 0; i < 7; i++) {
      await video(owner.ownerId, `Paged bee ${i}`, 'completed');
      expected.unshift(`Paged bee ${i}`);
      // Noise between them: same words, wrong status; right status, other words; another owner's match.
      await video(owner.ownerId, `Paged bee noise ${i}`, 'failed');
      await video(owner.ownerId, `Paged wasp ${i}`, 'completed');
      await video(stranger.ownerId, `Paged bee ${i} (stranger)`, 'completed');
    }
    const run = await allPages({ q: 'paged BEE', status: 'completed', limit: '2' });
    expect(run.topics).toEqual(expected);
    expect(run.pages).toBe(4);
    // And with q alone, the failed ones come in too, in order.
    const withFailed = await allPages({ q: 'paged bee', limit: '3' });
    expect(withFailed.topics).toHaveLength(14);
    expect(new Set(withFailed.topics).size).toBe(14);
    expect(withFailed.topics.every((x) => !x.includes('stranger'))).toBe(true);
  });
});

// The dev default is PGlite and Vercel's is Neon's driver: the migration (with its two extensions) and the
// same search hold on each adapter.
describe.each(adapters)('search on $name', ({ create }) => {
  it('migrates with the trigram index and finds a literal substring', async () => {
    const d = await create();
    try {
      const idx = await d.db.query<{ indexdef: string }>("select indexdef from pg_indexes where indexname = 'videos_owner_topic_trgm'");
      expect(idx.rows[0]?.indexdef).toMatch(/USING gin \(owner_id, topic gin_trgm_ops\)/);
      for (const [i, topic] of ['Save 100% now', 'Save 100 now', 'snake_case', 'snakeXcase'].entries()) {
        await d.db.query(
          `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, created_at)
           values ($1::uuid, 'anon_a', 'h', $2::text, 1, '16:9', '720p', $3::timestamptz)`,
          [randomUUID(), topic, new Date(T0 + i * 1000)],
        );
      }
      const sign = urlSigner(app.storage, new Date(T0), 600);
      const found = async (q: string) => (await listVideos(d.db, 'anon_a', { q, limit: 10 }, sign)).videos.map((v) => v.topic);
      expect(await found('0% N')).toEqual(['Save 100% now']);
      expect(await found('E_C')).toEqual(['snake_case']);
      expect((await listVideos(d.db, 'anon_b', { q: 'save', limit: 10 }, sign)).videos).toEqual([]);
    } finally {
      await d.drop();
    }
  });
});
