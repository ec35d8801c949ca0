// A task that keeps its heartbeat is never taken over, however long it runs; one that stops is.
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StepHandler } from '@/lib/pipeline/context';
import { processOne } from '@/lib/pipeline/worker';
import { LocalStorage } from '@/lib/storage/local';
import { useQueueDatabase, type TestDatabase } from '../helpers/db';
import { deps, noopHandlers, seedVideos } from '../helpers/queue';
import { waitFor } from '../helpers/wait';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-hb-${process.pid}`), secret: 'x'.repeat(32) });
const database = useQueueDatabase();
let t: TestDatabase;
beforeEach(() => {
  t = database();
});

/** A step that runs until the test releases it (or its signal aborts). */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const step: StepHandler = async (_task, ctx) => {
    await Promise.race([released, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))]);
    return async () => {};
  };
  return { step, release };
}

describe('heartbeats', () => {
  it('a long task is not taken over while its invocation lives', async () => {
    await seedVideos(t.db, 1);
    const g = gate();
    // A lease 15 beats long: a loaded CI machine can stall the event loop or PostgreSQL for a few
    // hundred milliseconds (a 300 ms lease once lapsed there), and a lapse is a real takeover.
    const lease = { leaseMs: 1_500, heartbeatMs: 100 };
    const holder = processOne(deps(t.db, storage, { ...lease, handlers: { ...noopHandlers, plan: g.step } }), { invocationId: 'holder' });
    try {
      await waitFor(async () => (await t.db.query("select 1 from tasks where status = 'running'")).rowCount > 0);
      const other = t.connect();
      // Keep trying to take it for three lease lengths.
      const until = Date.now() + 3 * lease.leaseMs;
      let attempts = 0;
      while (Date.now() < until) {
        expect(await processOne(deps(other, storage, lease), { invocationId: `thief-${attempts++}` })).toBeNull();
      }
      expect(attempts).toBeGreaterThan(10);
    } finally {
      // Even when an assertion fails, so the holder cannot outlive this test and write into the next.
      g.release();
      await holder.catch(() => null);
    }
    expect(await holder).toMatchObject({ outcome: 'completed', attempt: 1 });
    const takeovers = await t.db.query("select 1 from task_events where type = 'lease_expired'");
    expect(takeovers.rowCount).toBe(0);
  });

  it('without heartbeats the lease expires and another invocation takes over; the original cannot complete', async () => {
    await seedVideos(t.db, 1);
    const g = gate();
    const holder = processOne(
      deps(t.db, storage, { leaseMs: 300, heartbeatMs: 60_000, handlers: { ...noopHandlers, plan: g.step } }),
      { invocationId: 'silent' },
    );
    let taken = null;
    try {
      await waitFor(async () => (await t.db.query("select 1 from tasks where status = 'running'")).rowCount > 0);
      const other = t.connect();
      // The rescuer's own lease is long, so a stall on a loaded machine cannot hand the task on again.
      await waitFor(async () => {
        taken = await processOne(deps(other, storage, { leaseMs: 5_000, heartbeatMs: 100 }), { invocationId: 'rescuer' });
        return taken !== null;
      }, { timeoutMs: 5_000 });
    } finally {
      g.release();
      await holder.catch(() => null);
    }
    expect(taken).toMatchObject({ attempt: 2, outcome: 'completed' });
    expect(await holder).toMatchObject({ outcome: 'lease_lost' });
    const log = await t.db.query<{ type: string; invocation_id: string; attempt: number }>(
      "select type, invocation_id, attempt from task_events where type in ('claimed', 'lease_expired', 'completed', 'lease_lost') order by id",
    );
    expect(log.rows).toEqual([
      { type: 'claimed', invocation_id: 'silent', attempt: 1 },
      { type: 'lease_expired', invocation_id: 'silent', attempt: 1 },
      { type: 'claimed', invocation_id: 'rescuer', attempt: 2 },
      { type: 'completed', invocation_id: 'rescuer', attempt: 2 },
      { type: 'lease_lost', invocation_id: 'silent', attempt: 1 },
    ]);
  });
});
