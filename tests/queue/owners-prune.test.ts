// The claim's rotation is pruned of owners with nothing to run (lib/queue/owners.ts): the claim then
// probes only owners with work, no owner with ready work is ever left out, including one whose work
// was queued by a transaction racing the prune, and Retry puts a pruned owner back. On real PostgreSQL.
import { describe, expect, it } from 'vitest';
import type { Queryable } from '@/lib/db/types';
import { requeueDeadTasks } from '@/lib/admin/requeue';
import { resumeSteps } from '@/lib/pipeline/resume';
import { claimTask } from '@/lib/queue/claim';
import { DELETE_IDLE, pruneIdleQueueOwners } from '@/lib/queue/owners';
import { retryVideo } from '@/lib/videos/control';
import { useQueueDatabase } from '../helpers/db';
import { claimInput, rotationOwners, seedVideos, testPolicies } from '../helpers/queue';
import { waitFor } from '../helpers/wait';

const tdb = useQueueDatabase();
const now = () => new Date();

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] }

/** Every scan in an EXPLAIN (FORMAT JSON) plan, with its table and index. */
function planScans(explained: unknown): Array<{ type: string; relation?: string; index?: string }> {
  const walk = (n: PlanNode): Array<{ type: string; relation?: string; index?: string }> => [
    ...(n['Relation Name'] ? [{ type: n['Node Type'], relation: n['Relation Name'], index: n['Index Name'] }] : []),
    ...(n.Plans ?? []).flatMap(walk),
  ];
  return walk((explained as Array<{ Plan: PlanNode }>)[0]!.Plan);
}

const rotation = () => rotationOwners(tdb().db);

/** Index scans of tasks by one claim (one per owner walked, plus a few), read inside its rolled-back transaction. */
async function probesOfOneClaim(): Promise<number> {
  const probes = (q: Queryable) =>
    q.query<{ n: number }>("select idx_scan::int as n from pg_stat_xact_user_tables where relname = 'tasks'");
  let n = -1;
  await tdb().db.transaction(async (tx) => {
    const before = (await probes(tx)).rows[0]!.n;
    const claimed = await claimTask(tx, claimInput('probe', now(), 60_000));
    expect(claimed).not.toBeNull();
    n = (await probes(tx)).rows[0]!.n - before;
    throw new Error('rollback');
  }).catch((err: Error) => {
    if (err.message !== 'rollback') throw err;
  });
  return n;
}

describe('pruning the claim rotation', () => {
  it('removes owners with nothing ready or running, keeps the others, and a claim then walks only those', async () => {
    const db = tdb().db;
    await seedVideos(db, 1, { ownerId: 'running' });
    expect(await claimTask(db, claimInput('w', now(), 60_000))).not.toBeNull();
    await seedVideos(db, 1, { ownerId: 'finished' });
    await db.query("update tasks set status = 'done' where owner_id = 'finished'");
    await seedVideos(db, 1, { ownerId: 'waiting' });
    // Served a moment ago (its plan, say), so it waits behind owners served long ago; those have
    // nothing queued now, and fill the front of the rotation.
    await db.query("update queue_owners set last_claimed_at = now() where owner_id = 'waiting'");
    await db.query(
      `insert into queue_owners (owner_id, last_claimed_at)
       select 'idle-' || g, now() - interval '1 day' from generate_series(1, 2000) g`,
    );
    expect(await probesOfOneClaim()).toBeGreaterThanOrEqual(2000);

    expect(await pruneIdleQueueOwners(db)).toEqual({ removed: 2001, restored: 0, unsettled: 0 });
    expect(await rotation()).toEqual(['running', 'waiting']);
    expect(await probesOfOneClaim()).toBeLessThanOrEqual(10);
    const next = await claimTask(db, claimInput('w', now(), 60_000));
    const owner = await db.query<{ owner_id: string }>('select owner_id from tasks where id = $1::bigint', [next!.id]);
    expect(owner.rows[0]!.owner_id).toBe('waiting');
  });

  it('keeps an owner whose work a transaction was queueing while the prune ran', async () => {
    const db = tdb().db;
    const [video] = await seedVideos(db, 1, { ownerId: 'late' });
    await db.query("update tasks set status = 'done' where owner_id = 'late'");
    let commit!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    let written!: () => void;
    const queued = new Promise<void>((r) => (written = r));
    // What enqueue does for a new step: the task, then the rotation row, which exists, so nothing is written to it.
    const queueing = db.transaction(async (tx) => {
      await tx.query(
        `insert into tasks (video_id, owner_id, kind, status, max_attempts) values ($1::uuid, 'late', 'compose', 'ready', 3)`,
        [video],
      );
      await tx.query("insert into queue_owners (owner_id) values ('late') on conflict do nothing");
      written();
      await gate;
    });
    // The prune starts only once both writes are in, uncommitted: started earlier, it could remove the
    // owner before the transaction's own insert, which would then put it back (a different race).
    await queued;
    const pruning = pruneIdleQueueOwners(db, { pollMs: 10 });
    // The prune cannot see the uncommitted task, so it removes the owner; then it must wait.
    await waitFor(async () => !(await rotation()).includes('late'));
    commit();
    await queueing;
    expect(await pruning).toEqual({ removed: 1, restored: 1, unsettled: 0 });
    expect(await rotation()).toEqual(['late']);
    const claimed = await claimTask(db, claimInput('w', now(), 60_000));
    expect(claimed?.kind).toBe('compose');
  });

  it('Retry puts a pruned owner back in the rotation', async () => {
    const db = tdb().db;
    const [video] = await seedVideos(db, 1, { ownerId: 'retrying' });
    await db.query("update tasks set status = 'dead', last_error_code = 'x' where video_id = $1::uuid", [video]);
    await db.query("update videos set status = 'failed' where id = $1::uuid", [video]);
    expect((await pruneIdleQueueOwners(db)).removed).toBe(1);
    expect(await rotation()).toEqual([]);

    await retryVideo(db, 'retrying', video!, now(), resumeSteps(testPolicies));
    expect(await rotation()).toEqual(['retrying']);
    expect((await claimTask(db, claimInput('w', now(), 60_000)))?.kind).toBe('plan');
  });

  it("an operator's re-queue of a dead webhook puts a pruned owner back in the rotation", async () => {
    const db = tdb().db;
    const [video] = await seedVideos(db, 1, { ownerId: 'hooked' });
    await db.query("update tasks set status = 'done' where video_id = $1::uuid", [video]);
    await db.query("update videos set status = 'completed' where id = $1::uuid", [video]);
    await db.query(
      `insert into tasks (video_id, owner_id, kind, ref, status, max_attempts) values ($1::uuid, 'hooked', 'webhook', 'completed', 'dead', 3)`,
      [video],
    );
    expect((await pruneIdleQueueOwners(db)).removed).toBe(1);

    expect((await requeueDeadTasks(db, { now: now(), resume: resumeSteps(testPolicies) })).requeued).toBe(1);
    expect(await rotation()).toEqual(['hooked']);
    expect((await claimTask(db, claimInput('w', now(), 60_000)))?.kind).toBe('webhook');
  });

  it('reads tasks only through the partial indexes of work in flight, however many tasks have run', async () => {
    const db = tdb().db;
    // 40,000 finished tasks, analyzed, and a little work in flight: the shape of a long-lived queue.
    await db.query(
      `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status)
       select gen_random_uuid(), 'o' || (g % 2000), 'h', 't', 3, '16:9', '720p', 'completed' from generate_series(1, 10000) g`,
    );
    await db.query(
      `insert into tasks (video_id, owner_id, kind, scene_index, status)
       select v.id, v.owner_id, k.kind, k.scene, 'done' from videos v,
         (values ('plan', null::int), ('render', 0), ('render', 1), ('compose', null)) k(kind, scene)`,
    );
    await db.query("insert into queue_owners (owner_id) select distinct owner_id from videos");
    await seedVideos(db, 3, { ownerId: 'waiting' });
    await db.query('analyze tasks');
    const plan = await db.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${DELETE_IDLE}`);
    const scans = planScans(plan.rows[0]!['QUERY PLAN']).filter((n) => n.relation === 'tasks');
    // Each a partial index of ready or running tasks (migrations 0001 and 0007), never the whole table.
    const inFlight = ['tasks_ready', 'tasks_owner_ready', 'tasks_leased', 'tasks_owner_leased'];
    expect(scans.length).toBeGreaterThanOrEqual(2);
    for (const scan of scans) expect(inFlight).toContain(scan.index);
    expect((await pruneIdleQueueOwners(db)).removed).toBe(2000);
    expect(await rotation()).toEqual(['waiting']);
  });
});
