import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '@/lib/queue/claim';
import { completeTask } from '@/lib/queue/complete';
import { extendLease, releaseExpiredLeases } from '@/lib/queue/lease';
import { processOne } from '@/lib/pipeline/worker';
import { LocalStorage } from '@/lib/storage/local';
import { adapters, type TestDatabase } from '../helpers/db';
import { claimInput, deps, eventCounts, noopHandlers, seedVideos } from '../helpers/queue';
import type { Db, Queryable } from '@/lib/db/types';
import type { ClaimInput } from '@/lib/queue/claim';
import os from 'node:os';
import path from 'node:path';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-claim-${process.pid}`), secret: 'x'.repeat(32) });

describe.each(adapters)('queue claims on $name', ({ create }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('8 racing claimers run each of 50 tasks exactly once, as the event log shows', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    await seedVideos(t.db, 50);
    const d = deps(t.db, storage, { handlers: noopHandlers });
    const perClaimer = await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        const db = t.connect();
        let n = 0;
        while (await processOne({ ...d, db }, { invocationId: `claimer-${c}` })) n++;
        return n;
      }),
    );
    expect(perClaimer.reduce((a, b) => a + b, 0)).toBe(50);
    const events = await eventCounts(t.db);
    expect(events.size).toBe(50);
    for (const [, e] of events) {
      expect(e).toMatchObject({ enqueued: 1, claimed: 1, step_started: 1, step_finished: 1, completed: 1 });
    }
    const left = await t.db.query<{ n: number }>("select count(*)::int as n from tasks where status <> 'done'");
    expect(left.rows[0]!.n).toBe(0);
  });

  it('an expired lease is taken over by the next invocation, and the loser cannot complete', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    await seedVideos(t.db, 1);
    const t0 = new Date('2030-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const a = await claimTask(t.db, claimInput('A', t0, 1_000));
    expect(a).not.toBeNull();
    expect(await releaseExpiredLeases(t.db, at(900))).toEqual([]);
    expect(await claimTask(t.db, claimInput('B', at(900), 1_000))).toBeNull();

    const released = await releaseExpiredLeases(t.db, at(1_500));
    expect(released.map((r) => [r.id, r.previous_owner])).toEqual([[a!.id, 'A']]);
    const b = await claimTask(t.db, claimInput('B', at(1_500), 1_000));
    expect(b?.id).toBe(a!.id);
    expect(b?.attempts).toBe(2);

    expect(await extendLease(t.db, { taskId: a!.id, invocationId: 'A', now: at(1_600), leaseMs: 1_000 })).toBe('lost');
    expect(await t.db.transaction((tx) => completeTask(tx, { taskId: a!.id, invocationId: 'A', now: at(1_600) }))).toBe(false);
    expect(await t.db.transaction((tx) => completeTask(tx, { taskId: a!.id, invocationId: 'B', now: at(1_600) }))).toBe(true);

    const log = await t.db.query<{ type: string; invocation_id: string | null; attempt: number | null }>(
      'select type, invocation_id, attempt from task_events where task_id = $1::bigint order by id',
      [a!.id],
    );
    expect(log.rows).toEqual([
      { type: 'enqueued', invocation_id: null, attempt: null },
      { type: 'claimed', invocation_id: 'A', attempt: 1 },
      { type: 'lease_expired', invocation_id: 'A', attempt: 1 },
      { type: 'claimed', invocation_id: 'B', attempt: 2 },
    ]);
  });

  it('a lease kept alive by heartbeats is never taken over', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    await seedVideos(t.db, 1);
    const t0 = new Date('2030-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const a = await claimTask(t.db, claimInput('A', t0, 1_000));
    for (let ms = 500; ms <= 10_000; ms += 500) {
      expect(await extendLease(t.db, { taskId: a!.id, invocationId: 'A', now: at(ms), leaseMs: 1_000 })).toBe('held');
      expect(await releaseExpiredLeases(t.db, at(ms + 400))).toEqual([]);
      expect(await claimTask(t.db, claimInput('B', at(ms + 400), 1_000))).toBeNull();
    }
  });

  it('a task whose run_at is in the future is not claimed before it', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    await seedVideos(t.db, 1);
    await t.db.query("update tasks set run_at = '2030-01-01T00:01:00Z'");
    expect(await claimTask(t.db, claimInput('A', new Date('2030-01-01T00:00:59Z'), 1_000))).toBeNull();
    expect(await claimTask(t.db, claimInput('A', new Date('2030-01-01T00:01:00Z'), 1_000))).not.toBeNull();
  });
});

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A claim that gives up, instead of waiting, if it ever needs a row lock someone holds. */
function claimWithoutWaiting(db: Db, input: ClaimInput) {
  return db.transaction(async (tx) => {
    await tx.query("set local lock_timeout = '2s'");
    return claimTask(tx, input);
  });
}

/** Runs `hold` in a transaction that stays open, holding its locks, until the returned release is called. */
async function holdOpen<T>(db: Db, hold: (tx: Queryable) => Promise<T>): Promise<{ value: T; release: () => Promise<void> }> {
  const held = deferred<T>();
  const done = deferred();
  const tx = db.transaction(async (q) => {
    held.resolve(await hold(q));
    await done.promise;
  });
  const value = await Promise.race([held.promise, tx.then(() => { throw new Error('the transaction ended early'); })]);
  return { value, release: async () => { done.resolve(); await tx; } };
}

// Skipping locked rows is what lets claimers pass each other; PGlite has one connection, so it has no
// second transaction to pass.
describe.each(adapters.filter((a) => a.name !== 'pglite'))('claims skip locked rows on $name', ({ create }) => {
  let t: TestDatabase;
  let other: Db;
  beforeAll(async () => {
    t = await create();
    other = t.connect();
  });
  afterAll(async () => {
    await t.drop();
  });

  const claimOrder = async () => (await t.db.query<{ id: string }>(
    "select id from tasks where status = 'ready' order by priority desc, run_at, id")).rows.map((r) => r.id);

  it('a claim takes the next task instead of waiting for one another transaction has locked', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    await seedVideos(t.db, 2);
    const [first, second] = await claimOrder();
    const lock = await holdOpen(t.db, (tx) => tx.query('select id from tasks where id = $1::bigint for update', [first]));
    try {
      for (const caps of [{ maxRunning: 0, ownerMaxRunning: 0 }, { maxRunning: 10, ownerMaxRunning: 10 }]) {
        const claimed = await claimWithoutWaiting(other, { ...claimInput(`B-${caps.maxRunning}`, new Date(), 30_000), ...caps });
        expect(claimed?.id, `caps ${caps.maxRunning}`).toBe(second);
        await other.query("update tasks set status = 'ready', locked_by = null, locked_until = null where id = $1::bigint", [second]);
      }
    } finally {
      await lock.release();
    }
  });

  it('so does the claim that looks past capped owners to lower priorities', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    const [running, capped] = await seedVideos(t.db, 2, { ownerId: 'owner-x' });
    await seedVideos(t.db, 2, { ownerId: 'owner-y' });
    // owner-x is at its cap of one, with a higher-priority task waiting; owner-y's two tasks are next.
    await t.db.query(
      "update tasks set status = 'running', locked_by = 'elsewhere', locked_until = now() + interval '1 hour' where video_id = $1::uuid", [running]);
    await t.db.query('update tasks set priority = 10 where video_id = $1::uuid', [capped]);
    const [, first, second] = await claimOrder();
    const lock = await holdOpen(t.db, (tx) => tx.query('select id from tasks where id = $1::bigint for update', [first]));
    try {
      const claimed = await claimWithoutWaiting(other, { ...claimInput('B', new Date(), 30_000), ownerMaxRunning: 1 });
      expect(claimed?.id).toBe(second);
    } finally {
      await lock.release();
    }
  });

  it('two claims at once never get the same task: the second passes the one the first holds', async () => {
    await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
    // Two owners, so that the only rows both claims could want are tasks: a claim also stamps its
    // owner's rotation row (queue_owners), and a second claim for the same owner waits for that stamp
    // until the first commits, which a claim does at once outside this test.
    await seedVideos(t.db, 1, { ownerId: 'owner-a' });
    await seedVideos(t.db, 1, { ownerId: 'owner-b' });
    const ids = await claimOrder();
    const a = await holdOpen(t.db, (tx) => claimTask(tx, claimInput('A', new Date(), 30_000)));
    let b: Awaited<ReturnType<typeof claimTask>>;
    try {
      b = await claimWithoutWaiting(other, claimInput('B', new Date(), 30_000));
    } finally {
      await a.release();
    }
    expect([a.value?.id, b?.id].sort()).toEqual([...ids].sort());
    const claims = await t.db.query<{ task_id: string; invocation_id: string }>(
      "select task_id, invocation_id from task_events where type = 'claimed' order by task_id");
    expect(claims.rows).toEqual([
      { task_id: a.value!.id, invocation_id: 'A' }, { task_id: b!.id, invocation_id: 'B' },
    ].sort((x, y) => Number(x.task_id) - Number(y.task_id)));
  });
});
