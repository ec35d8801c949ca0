import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '@/lib/queue/claim';
import { completeTask } from '@/lib/queue/complete';
import { extendLease, releaseExpiredLeases } from '@/lib/queue/lease';
import { processOne } from '@/lib/queue/worker';
import { LocalStorage } from '@/lib/storage/local';
import { adapters, type TestDatabase } from '../helpers/db';
import { claimInput, deps, eventCounts, noopHandlers, seedVideos } from '../helpers/queue';
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
