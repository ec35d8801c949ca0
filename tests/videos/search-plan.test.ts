// The topic search is served by the trigram index, not by reading the table: with 100k videos, the plan
// PostgreSQL makes for the exact statement GET /api/videos runs (same text, same parameters) is a
// Bitmap Index Scan on videos_owner_topic_trgm (migration 0019).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor, LIST_VIDEOS_SQL, listVideosParams, type ListOptions } from '@/lib/videos/list';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
const HEAVY = `anon_${randomUUID()}`;
const ROWS = 100_000;

beforeAll(async () => {
  t = await createTestDatabase();
  // Half the table is one heavy owner's (where a search matters most); the rest spread over 997 owners.
  // Topics repeat ten subjects with a running number, so common words match thousands of rows and a
  // number matches a handful.
  await t.db.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status, created_at)
     select gen_random_uuid(),
            case when i % 2 = 0 then $1::text else 'anon_other_' || (i % 997) end,
            'h',
            (array['How do bees make honey?', 'Volcanoes of Iceland', 'The history of tea', 'Why is the sky blue?',
                   'Black holes explained', 'The life of octopuses', 'How bridges stand up', 'Coral reefs',
                   'The Roman aqueducts', 'Jazz in the 1920s'])[1 + i % 10] || ' part ' || i,
            1, '16:9', '720p',
            (array['queued', 'rendering', 'completed', 'completed', 'failed', 'cancelled', 'completed'])[1 + (i / 7) % 7],
            timestamptz '2030-01-01' + i * interval '1 minute'
     from generate_series(1, $2::int) i`,
    [HEAVY, ROWS],
  );
  await t.db.query('analyze videos');
}, 120_000);
afterAll(async () => {
  await t.drop();
});

/** EXPLAIN of the list statement, as listVideos sends it. */
async function plan(ownerId: string, opts: ListOptions): Promise<string> {
  const r = await t.db.query<{ 'QUERY PLAN': string }>(`explain ${LIST_VIDEOS_SQL}`, listVideosParams(ownerId, opts));
  return r.rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe('search plan with 100k videos', () => {
  it('holds the rows it claims', async () => {
    const r = await t.db.query<{ n: number; heavy: number }>(
      'select count(*)::int as n, count(*) filter (where owner_id = $1::text)::int as heavy from videos', [HEAVY],
    );
    expect(r.rows[0]).toEqual({ n: ROWS, heavy: ROWS / 2 });
  });

  it('q: a Bitmap Index Scan on the owner+topic trigram index, no Seq Scan', async () => {
    const text = await plan(HEAVY, { q: 'PART 4242', limit: 20 });
    console.info(`EXPLAIN GET /api/videos?q=PART%204242 (heavy owner, ${ROWS} rows):\n${text}`);
    expect(text).toMatch(/Bitmap Index Scan on videos_owner_topic_trgm/);
    expect(text).toMatch(/Index Cond: \(\(owner_id = '[^']+'::text\) AND \(topic ~~\* '%PART 4242%'::text\)\)/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  it('q with status and a cursor: still the trigram index', async () => {
    const cursor = encodeCursor(new Date('2030-02-01T00:00:00Z'), '00000000-0000-4000-8000-000000000000');
    const text = await plan(HEAVY, { q: 'part 424', status: ['completed', 'failed'], cursor, limit: 20 });
    console.info(`EXPLAIN GET /api/videos?q=part%20424&status=completed,failed&cursor=… :\n${text}`);
    expect(text).toMatch(/Bitmap Index Scan on videos_owner_topic_trgm/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  it('q for an owner with fifty videos: an index on the owner (reading fifty rows beats the trigram lists), no Seq Scan', async () => {
    const text = await plan('anon_other_5', { q: 'part 4242', limit: 20 });
    expect(text).toMatch(/Index Scan on videos_\w+\s+\(.*\)\n\s+Index Cond: \(owner_id = 'anon_other_5'::text/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  it('the rows the plan finds are the ones asked for', async () => {
    const r = await t.db.query<{ topic: string }>(LIST_VIDEOS_SQL, listVideosParams(HEAVY, { q: 'PART 4242', limit: 20 }));
    // part 4242 and part 42420…42429; the heavy owner has the even ones.
    expect(r.rows.map((row) => row.topic.replace(/^.* part /, '')).sort()).toEqual(['4242', '42420', '42422', '42424', '42426', '42428']);
  });
});
