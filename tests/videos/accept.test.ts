// Requests that arrive together are accepted in shared calls of cueframe_accept_videos; each still
// gets its own outcome, and a fault in one does not fail the others. On real PostgreSQL.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db/types';
import type { ResolvedRequest } from '@/lib/videos/create';
import { estimateVideo } from '@/lib/credits/estimate';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
// Loaded with warnings on (the suite logs errors only), so a shared call's failure can be counted.
let createVideos: typeof import('@/lib/videos/create').createVideos;
let isAppError: typeof import('@/lib/errors').isAppError;
beforeAll(async () => {
  t = await createTestDatabase();
  // A fresh copy of the modules, whose lib/log this file alone sets to warn.
  vi.resetModules();
  (await import('@/lib/log')).setLogLevel('warn');
  ({ createVideos } = await import('@/lib/videos/create'));
  ({ isAppError } = await import('@/lib/errors'));
});
afterAll(async () => {
  await t.drop();
});
let warnings: string[] = [];
beforeEach(async () => {
  await t.db.query('truncate videos, tasks, queue_owners, task_events, credit_ledger, owners cascade');
  warnings = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
});
const sharedCallFailures = () => warnings.filter((w) => w.includes('a shared call failed'));

const request = (topic: string, over: Partial<ResolvedRequest> = {}): ResolvedRequest => ({
  topic, sceneCount: 2, aspectRatio: '16:9', resolution: '720p', provider: 'local', motion: 'kenburns', voice: 'alloy',
  burnCaptions: false, language: 'en', music: 'none', musicVolume: 0, review: false, ...over,
});
const COST = estimateVideo(request('x')).credits;

/** A fresh pool whose query calls are counted: each call is one round trip. */
function counted(): { db: Db; calls: () => number } {
  const inner = t.connect();
  let n = 0;
  const db: Db = {
    kind: inner.kind,
    query: (text, params) => {
      n++;
      return inner.query(text, params);
    },
    transaction: (fn) => inner.transaction(fn),
    close: () => inner.close(),
  };
  return { db, calls: () => n };
}

const outcome = (p: Promise<unknown>) => p.then(() => 'created', (err: unknown) => (isAppError(err) ? err.code : `fault: ${String(err)}`));

describe('accepting requests together', () => {
  it('60 requests over 6 owners share a few calls, and each owner gets exactly what its balance pays for', async () => {
    const owners = ['a', 'b', 'c', 'd', 'e', 'f'];
    // Owner i can pay for i videos (a: none … f: five).
    for (const [i, o] of owners.entries()) await t.db.query('insert into owners (id, balance) values ($1::text, $2::int)', [o, i * COST]);
    const { db, calls } = counted();
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 60 }, (_, k) => {
      const owner = owners[k % owners.length]!;
      return outcome(createVideos(db, { ownerId: owner, requests: [request(`Topic ${k}`)], maxAttempts: 3, startingCredits: 0, maxActive: 0, now }))
        .then((o) => [owner, o] as const);
    }));
    expect(calls()).toBeLessThan(20);
    for (const [i, o] of owners.entries()) {
      const mine = results.filter(([owner]) => owner === o).map(([, r]) => r);
      expect(mine.filter((r) => r === 'created'), o).toHaveLength(i);
      expect(mine.filter((r) => r === 'insufficient_credits'), o).toHaveLength(10 - i);
      const rows = await t.db.query<{ videos: number; reserves: number; tasks: number; balance: number }>(
        `select (select count(*)::int from videos where owner_id = $1::text) as videos,
                (select count(*)::int from credit_ledger where owner_id = $1::text and kind = 'reserve') as reserves,
                (select count(*)::int from tasks where owner_id = $1::text and kind = 'plan') as tasks,
                (select balance from owners where id = $1::text) as balance`, [o]);
      expect(rows.rows[0], o).toEqual({ videos: i, reserves: i, tasks: i, balance: 0 });
    }
    await db.close();
  });

  it('a request that faults is tried again alone and fails alone; the ones it shared a call with are accepted', async () => {
    const { db } = counted();
    const now = new Date();
    const make = (k: number) => createVideos(db, {
      // 13 scenes violates the table's check: a fault, not a refusal (the route's schema would never let it through).
      ownerId: `o${k}`, requests: [request(`Topic ${k}`, k === 5 ? { sceneCount: 13 } : {})],
      maxAttempts: 3, startingCredits: 1_000, maxActive: 0, now,
    });
    const results = await Promise.all(Array.from({ length: 12 }, (_, k) => outcome(make(k))));
    expect(results[5]).toMatch(/^fault: .*scene_count/);
    // It had company: the call it shared failed first, and everyone was tried again alone.
    expect(sharedCallFailures()).toHaveLength(1);
    expect(results.filter((r) => r === 'created')).toHaveLength(11);
    expect((await t.db.query("select 1 from videos where owner_id = 'o5'")).rowCount).toBe(0);
    expect((await t.db.query("select 1 from owners where id = 'o5'")).rowCount).toBe(0);
    await db.close();
  });

  it('calls with overlapping owners in different orders never deadlock', async () => {
    const before = await t.db.query<{ deadlocks: string }>('select deadlocks from pg_stat_database where datname = current_database()');
    const pools = [counted(), counted(), counted()];
    const now = new Date();
    // Each pool sends its requests in a different owner order, and all three race.
    await Promise.all(pools.map(({ db }, p) => Promise.all(Array.from({ length: 90 }, (_, k) => {
      const owner = `o${(p % 2 === 0 ? k : 89 - k) % 9}`;
      return createVideos(db, { ownerId: owner, requests: [request(`T ${p}.${k}`)], maxAttempts: 3, startingCredits: 1_000_000, maxActive: 0, now });
    }))));
    expect((await t.db.query('select count(*)::int as n from videos')).rows[0]).toEqual({ n: 270 });
    // A deadlock would have failed a shared call (then retried alone, so count the failures), and
    // would show in the server's counter, which a backend flushes at the latest when it exits.
    expect(sharedCallFailures()).toEqual([]);
    await Promise.all(pools.map(({ db }) => db.close()));
    const after = await t.db.query<{ deadlocks: string }>('select deadlocks from pg_stat_database where datname = current_database()');
    expect(Number(after.rows[0]!.deadlocks)).toBe(Number(before.rows[0]!.deadlocks));
  });
});
