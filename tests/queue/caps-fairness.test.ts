// Priority, global and per-owner caps under racing claimers, fairness between owners, and the
// 16-claimer / 500-task exactly-once proof.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/types';
import type { StepHandler } from '@/lib/pipeline/context';
import { claimTask } from '@/lib/queue/claim';
import { processOne } from '@/lib/pipeline/worker';
import { LocalStorage } from '@/lib/storage/local';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { claimInput, deps, eventCounts, noopHandlers, seedVideos } from '../helpers/queue';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-caps-${process.pid}`), secret: 'x'.repeat(32) });
let t: TestDatabase;
let racers: Db;
beforeAll(async () => {
  // 50 claimers share 20 connections: enough to race, within PostgreSQL's default 100 connections
  // while other test files run in parallel.
  t = await createTestDatabase({ max: 20 });
  racers = t.connect();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate tasks, videos, queue_owners, task_events cascade');
});

/** A step that takes a little real time, so running tasks overlap while claimers race. */
const busy: StepHandler = async () => {
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 15));
  return async () => {};
};

async function raceWhileSampling(claimers: number, d: ReturnType<typeof deps>): Promise<{ maxRunning: number; maxPerOwner: number; processed: number }> {
  let stop = false;
  let maxRunning = 0;
  let maxPerOwner = 0;
  const sampler = (async () => {
    while (!stop) {
      const r = await t.db.query<{ total: number; top: number }>(
        `select coalesce(sum(n), 0)::int as total, coalesce(max(n), 0)::int as top
         from (select owner_id, count(*) as n from tasks where status = 'running' group by owner_id) s`,
      );
      maxRunning = Math.max(maxRunning, r.rows[0]!.total);
      maxPerOwner = Math.max(maxPerOwner, r.rows[0]!.top);
    }
  })();
  const db = racers;
  const counts = await Promise.all(
    Array.from({ length: claimers }, async (_, c) => {
      let n = 0;
      // A claimer that finds nothing under the cap keeps trying until the queue is empty.
      for (;;) {
        if (await processOne({ ...d, db }, { invocationId: `c${c}` })) n++;
        else if ((await t.db.query("select 1 from tasks where status in ('ready', 'running') limit 1")).rowCount === 0) break;
      }
      return n;
    }),
  );
  stop = true;
  await sampler;
  return { maxRunning, maxPerOwner, processed: counts.reduce((a, b) => a + b, 0) };
}

describe('caps', () => {
  it('the global cap holds while 50 claimers race', async () => {
    for (const owner of ['o1', 'o2', 'o3', 'o4']) await seedVideos(t.db, 25, { ownerId: owner });
    const r = await raceWhileSampling(50, deps(t.db, storage, { handlers: { ...noopHandlers, plan: busy }, maxRunning: 5, ownerMaxRunning: 0 }));
    expect(r.processed).toBe(100);
    expect(r.maxRunning).toBeLessThanOrEqual(5);
    expect(r.maxRunning).toBe(5);
  });

  it('the per-owner cap holds while 50 claimers race', async () => {
    for (const owner of ['o1', 'o2']) await seedVideos(t.db, 40, { ownerId: owner });
    const r = await raceWhileSampling(50, deps(t.db, storage, { handlers: { ...noopHandlers, plan: busy }, maxRunning: 0, ownerMaxRunning: 2 }));
    expect(r.processed).toBe(80);
    expect(r.maxPerOwner).toBeLessThanOrEqual(2);
    expect(r.maxPerOwner).toBe(2);
    expect(r.maxRunning).toBeLessThanOrEqual(4);
  });

  it('a crashed invocation\'s expired lease holds no slot, globally or for its owner; a live one does', async () => {
    const [crashed, waiting] = await seedVideos(t.db, 2, { ownerId: 'o1' });
    const capped = () => ({ ...claimInput('w', new Date(), 60_000), maxRunning: 1, ownerMaxRunning: 1 });
    // The first video's plan was claimed by an invocation that then died: its lease ran out a minute ago.
    await t.db.query(
      `update tasks set status = 'running', locked_by = 'dead', locked_until = now() - interval '1 minute'
       where video_id = $1::uuid and kind = 'plan'`, [crashed]);
    const next = await claimTask(t.db, capped());
    expect(next?.video_id).toBe(waiting);
    // That claim is live: it fills both caps, so nothing else is claimed until it ends.
    await seedVideos(t.db, 1, { ownerId: 'o2' });
    expect(await claimTask(t.db, capped())).toBeNull();
    // Without the global cap, o2 is under its own cap and gets its turn.
    expect(await claimTask(t.db, { ...capped(), maxRunning: 0 })).not.toBeNull();
    expect((await t.db.query("select 1 from tasks where owner_id = 'o2' and status = 'running'")).rowCount).toBe(1);
  });
});

describe('order', () => {
  it('claims higher priority first', async () => {
    const [low, high] = await seedVideos(t.db, 2);
    await t.db.query('update tasks set priority = 10 where video_id = $1::uuid', [high]);
    const first = await claimTask(t.db, claimInput('w', new Date(), 1_000));
    expect(first?.video_id).toBe(high);
    expect((await claimTask(t.db, claimInput('w', new Date(), 1_000)))?.video_id).toBe(low);
  });

  it('one owner with 50 queued videos does not starve another owner\'s single video', async () => {
    await seedVideos(t.db, 50, { ownerId: 'busy-owner' });
    const [single] = await seedVideos(t.db, 1, { ownerId: 'patient-owner' });
    const d = deps(t.db, storage, { handlers: noopHandlers });
    const order: string[] = [];
    let claims = 0;
    while (claims < 51) {
      const p = await processOne(d, { invocationId: `w${claims++}` });
      if (!p) break;
      order.push(p.videoId);
    }
    // Owners take turns: the single video starts within two claims, whatever the other backlog.
    expect(order.indexOf(single!)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(single!)).toBeLessThan(2);
    expect(order).toHaveLength(51);
  });
});

describe('exactly once at scale', () => {
  it('16 concurrent claimers, 500 tasks: every task runs exactly once and none is lost', async () => {
    await seedVideos(t.db, 500, { ownerId: 'bulk' });
    const d = deps(t.db, storage, { handlers: noopHandlers, maxRunning: 0, ownerMaxRunning: 0 });
    const db = racers;
    const processed = await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        let n = 0;
        while (await processOne({ ...d, db }, { invocationId: `c${c}` })) n++;
        return n;
      }),
    );
    expect(processed.reduce((a, b) => a + b, 0)).toBe(500);
    expect(processed.filter((n) => n > 0).length).toBeGreaterThan(1);
    const events = await eventCounts(t.db);
    expect(events.size).toBe(500);
    for (const [, e] of events) expect(e).toMatchObject({ enqueued: 1, claimed: 1, completed: 1 });
    const left = await t.db.query<{ n: number }>("select count(*)::int as n from tasks where status <> 'done'");
    expect(left.rows[0]!.n).toBe(0);
  });
});
