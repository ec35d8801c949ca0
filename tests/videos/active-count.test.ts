// The active-video cap reads owners.active_videos, which triggers on videos keep (0009): the count
// must follow every insert, transition and delete, start right for existing data, and make the
// cap's cost independent of the owner's history. On real PostgreSQL.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { isAppError } from '@/lib/errors';
import { cancelVideo } from '@/lib/videos/control';
import { createVideos, type ResolvedRequest } from '@/lib/videos/create';
import { createTestDatabase, useQueueDatabase } from '../helpers/db';

const STATUSES = ['queued', 'planning', 'rendering', 'composing', 'completed', 'failed', 'cancelled'] as const;

const tdb = useQueueDatabase({ owners: true });

async function insertVideo(owner: string, status: string, db = tdb().db): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status)
     values ($1::uuid, $2::text, 'h', 'Topic', 2, '16:9', '720p', $3::text)`,
    [id, owner, status],
  );
  return id;
}

/** Each owner's stored count next to the true one. */
async function counts(db = tdb().db): Promise<Array<{ id: string; stored: number; actual: number }>> {
  const r = await db.query<{ id: string; stored: number; actual: number }>(
    `select o.id, o.active_videos as stored,
            (select count(*)::int from videos v where v.owner_id = o.id
               and v.status in ('queued', 'planning', 'rendering', 'composing')) as actual
     from owners o order by o.id`,
  );
  return r.rows;
}

const request = (topic: string): ResolvedRequest => ({
  topic, sceneCount: 2, aspectRatio: '16:9', resolution: '720p', provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false,
        language: 'en', music: 'none', musicVolume: 0, review: false,
});

describe('owners.active_videos', () => {
  it('follows 400 random inserts, status changes, owner moves and deletes', async () => {
    const owners = ['a', 'b', 'c', 'd'];
    for (const o of owners) await tdb().db.query('insert into owners (id, balance) values ($1::text, 0)', [o]);
    const ids: string[] = [];
    // A fixed-seed generator: a failure replays the same sequence.
    let seed = 42;
    const rand = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const seen = new Set<string>();
    for (let k = 0; k < 400; k++) {
      if (k % 50 === 0) {
        for (const r of await counts()) {
          expect(r.stored, `${r.id} after ${k} steps`).toBe(r.actual);
          if (r.actual > 0) seen.add(r.id);
        }
      }
      const op = ids.length === 0 ? 0 : rand(10);
      if (op < 3) {
        ids.push(await insertVideo(owners[rand(4)]!, STATUSES[rand(STATUSES.length)]!));
      } else if (op < 8) {
        await tdb().db.query('update videos set status = $2::text where id = $1::uuid', [ids[rand(ids.length)], STATUSES[rand(STATUSES.length)]]);
      } else if (op < 9) {
        await tdb().db.query('update videos set owner_id = $2::text where id = $1::uuid', [ids[rand(ids.length)], owners[rand(4)]]);
      } else {
        await tdb().db.query('delete from videos where id = $1::uuid', [ids.splice(rand(ids.length), 1)[0]]);
      }
    }
    for (const r of await counts()) expect(r.stored, r.id).toBe(r.actual);
    // Every owner had videos in progress at some point, so each count went up and came back down.
    expect([...seen].sort()).toEqual(owners);
  });

  it('caps accepts, and frees a slot when a video is cancelled', async () => {
    const now = new Date();
    const make = (k: number) => createVideos(tdb().db, {
      ownerId: 'capped', requests: [request(`T ${k}`)], maxAttempts: 3, startingCredits: 1_000, maxActive: 2, now,
    });
    const first = await make(1);
    await make(2);
    const refused = await make(3).then(() => null, (err: unknown) => err);
    expect(isAppError(refused) && refused.code).toBe('too_many_active_videos');
    await cancelVideo(tdb().db, 'capped', first.videos[0]!.id, now);
    await make(4);
    expect(await counts()).toEqual([{ id: 'capped', stored: 2, actual: 2 }]);
  });

  it('counts the videos an owner already has when its row is created after them', async () => {
    await insertVideo('late', 'rendering');
    await insertVideo('late', 'completed');
    await createVideos(tdb().db, { ownerId: 'late', requests: [request('T')], maxAttempts: 3, startingCredits: 1_000, maxActive: 0, now: new Date() });
    expect(await counts()).toEqual([{ id: 'late', stored: 2, actual: 2 }]);
  });

  it('checks the cap without reading the owner\'s finished videos', async () => {
    await tdb().db.query('insert into owners (id, balance) values ($1::text, 1000)', ['veteran']);
    await tdb().db.query(
      `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status)
       select gen_random_uuid(), 'veteran', 'h', 'Old', 2, '16:9', '720p', 'completed' from generate_series(1, 2000)`,
    );
    await tdb().db.query('analyze videos');
    const fetched = await tdb().db.transaction(async (tx) => {
      // The backend's not-yet-flushed counts, which can include earlier transactions': the difference
      // across the call is what the call read (counts are flushed between transactions, never inside one).
      const read = async () => (await tx.query<{ n: number }>(
        `select (coalesce(sum(seq_tup_read), 0) + coalesce(sum(idx_tup_fetch), 0))::int as n
         from pg_stat_xact_user_tables where relname = 'videos'`,
      )).rows[0]!.n;
      const before = await read();
      const rows = await tx.query<{ outcome: string }>(
        'select outcome from cueframe_accept_videos($1::jsonb, $2::jsonb)',
        [JSON.stringify({ standard: 0 }), JSON.stringify([{
          owner: 'veteran', startingCredits: 0, maxActive: 5, key: null, keyPattern: null, hash: 'h', maxAttempts: 3, now: new Date(),
          videos: [{ id: randomUUID(), key: null, topic: 'New', description: null, sceneCount: 2, aspectRatio: '16:9', resolution: '720p',
            provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false, callbackUrl: null, cost: 10 }],
        }])],
      );
      expect(rows.rows.map((r) => r.outcome)).toEqual(['created']);
      return (await read()) - before;
    });
    // Counting would read all 2,000; the foreign-key checks of the new rows read the new video.
    expect(fetched).toBeLessThan(10);
  });

  it('starts from the videos that exist when the migration runs', async () => {
    const old = await createTestDatabase({ migrate: false });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-mig-'));
    try {
      const files = (await fs.readdir('db/migrations')).filter((f) => f < '0009');
      for (const f of files) await fs.copyFile(path.join('db/migrations', f), path.join(dir, f));
      // A deployment from before 0009, and before db/functions existed.
      await migrate(old.db, { migrations: dir, functions: null });
      await old.db.query("insert into owners (id, balance) values ('x', 0), ('y', 0)");
      for (const s of ['queued', 'rendering', 'completed', 'failed']) await insertVideo('x', s, old.db);
      await insertVideo('y', 'cancelled', old.db);
      expect((await migrate(old.db)).migrations).toContain('0009_active_video_count.sql');
      expect(await counts(old.db)).toEqual([{ id: 'x', stored: 2, actual: 2 }, { id: 'y', stored: 0, actual: 0 }]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      await old.drop();
    }
  });
});
