// The running totals behind /api/metrics' counters and histograms, driven through the real writers
// (appendEvent, releaseExpiredLeases, captureCredits): they move with the events they count, in the
// same transaction, and nothing later (a rollback, a cleanup of the log) takes them back.
import { describe, expect, it } from 'vitest';
import { GET as METRICS } from '@/app/api/metrics/route';
import { stepHistogram, type CounterRow } from '@/lib/admin/counters';
import { captureCredits, ensureOwner, reserveCredits } from '@/lib/owners/credits';
import { completeTask } from '@/lib/queue/complete';
import { appendEvent } from '@/lib/queue/events';
import { releaseExpiredLeases } from '@/lib/queue/lease';
import type { Queryable } from '@/lib/db/types';
import { call } from '../helpers/http';
import { parseExposition, type Exposition } from './exposition';
import { ADMIN_TOKEN, NOW, at, insertTask, insertVideo, useAdminApp, type TaskSeed } from './seed';

const admin = useAdminApp();

async function scrape(): Promise<Exposition> {
  const res = await call(METRICS, { url: '/api/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return parseExposition(await res.text());
}

async function counterRows(q: Queryable) {
  return (await q.query('select name, labels, shard, value from metric_counters order by name, labels::text, shard')).rows;
}

/** A running task held by `inv`, whose step started `seconds` before NOW in that invocation. */
async function started(videoId: string, kind: TaskSeed['kind'], inv: string, seconds: number, sceneIndex?: number): Promise<string> {
  const taskId = await insertTask(admin.db, { videoId, kind, sceneIndex, status: 'running', lockedBy: inv, lockedUntil: at(60), attempts: 1 });
  await appendEvent(admin.db, { taskId, videoId, type: 'step_started', invocationId: inv, attempt: 1, at: at(-seconds) });
  return taskId;
}

/** As the worker completes: the task and its `completed` event in one transaction. */
async function complete(q: Queryable, taskId: string, videoId: string, inv: string): Promise<void> {
  expect(await completeTask(q, { taskId, invocationId: inv, now: NOW })).toBe(true);
  await appendEvent(q, { taskId, videoId, type: 'completed', invocationId: inv, attempt: 1, at: NOW });
}

const event = (taskId: string, videoId: string, type: 'retried' | 'failed') =>
  appendEvent(admin.db, { taskId, videoId, type, invocationId: 'inv-f', attempt: 1, at: NOW });

/** complete ×2 (plan 3 s, render 0.25 s), retry ×2 then dead, a lease takeover, webhooks retried ×2 then delivered, one given up, 7 credits captured. */
async function scriptedSequence(): Promise<void> {
  const db = admin.db;
  await ensureOwner(db, 'owner-a', 100, NOW);
  const video = await insertVideo(db, { status: 'rendering', sceneCount: 4 });
  await reserveCredits(db, { ownerId: 'owner-a', videoId: video, amount: 7, round: 0, now: NOW });

  const plan = await started(video, 'plan', 'inv-p', 3);
  await db.transaction((tx) => complete(tx, plan, video, 'inv-p'));
  const render = await started(video, 'render', 'inv-r', 0.25, 0);
  await db.transaction((tx) => complete(tx, render, video, 'inv-r'));

  const flaky = await insertTask(db, { videoId: video, kind: 'render', sceneIndex: 1, status: 'ready' });
  await event(flaky, video, 'retried');
  await event(flaky, video, 'retried');
  await event(flaky, video, 'failed');

  await insertTask(db, { videoId: video, kind: 'render', sceneIndex: 2, status: 'running', lockedBy: 'inv-gone', lockedUntil: at(-5), attempts: 1 });
  expect((await releaseExpiredLeases(db, NOW)).map((t) => t.status)).toEqual(['ready']);

  const delivered = await insertTask(db, { videoId: video, kind: 'webhook', ref: 'evt-1', status: 'running', lockedBy: 'inv-w', lockedUntil: at(60), attempts: 1 });
  await event(delivered, video, 'retried');
  await event(delivered, video, 'retried');
  await db.transaction((tx) => complete(tx, delivered, video, 'inv-w'));
  const undelivered = await insertTask(db, { videoId: video, kind: 'webhook', ref: 'evt-2', status: 'ready' });
  await event(undelivered, video, 'failed');

  await db.transaction((tx) => captureCredits(tx, video, NOW));
  await captureCredits(db, video, NOW); // captured once: the ledger refuses the second, and so does the total
}

describe('metric counters', () => {
  it('move in the completion transaction: a rolled-back completion leaves them unchanged', async () => {
    const video = await insertVideo(admin.db, { status: 'rendering' });
    const task = await started(video, 'plan', 'inv-1', 3);
    await expect(admin.db.transaction(async (tx) => {
      await complete(tx, task, video, 'inv-1');
      expect(await counterRows(tx)).not.toEqual([]); // counted inside the transaction…
      throw new Error('writing the step results failed');
    })).rejects.toThrow('writing the step results failed');
    expect(await counterRows(admin.db)).toEqual([]); // …and gone with it
    let m = await scrape();
    expect(m.value('cueframe_tasks_completed_total', { kind: 'plan' })).toBe(0);
    expect(m.value('cueframe_step_duration_seconds_count', { kind: 'plan' })).toBe(0);

    await admin.db.transaction((tx) => complete(tx, task, video, 'inv-1'));
    m = await scrape();
    expect(m.value('cueframe_tasks_completed_total', { kind: 'plan' })).toBe(1);
    expect(m.value('cueframe_step_duration_seconds_count', { kind: 'plan' })).toBe(1);
  });

  it('hold the totals of a scripted sequence', async () => {
    await scriptedSequence();
    const m = await scrape();
    const byKind = (name: string) => ['plan', 'render', 'compose', 'webhook'].map((kind) => m.value(name, { kind }));
    expect(byKind('cueframe_tasks_completed_total')).toEqual([1, 1, 0, 1]);
    expect(byKind('cueframe_tasks_retried_total')).toEqual([0, 2, 0, 2]);
    expect(byKind('cueframe_tasks_failed_total')).toEqual([0, 1, 0, 1]);
    expect(byKind('cueframe_leases_expired_total')).toEqual([0, 1, 0, 0]);
    expect(['delivered', 'retried', 'failed'].map((outcome) => m.value('cueframe_webhook_deliveries_total', { outcome }))).toEqual([1, 2, 1]);
    expect(m.value('cueframe_credits_captured_total')).toBe(7);

    const buckets = (kind: string) => m.samples
      .filter((s) => s.name === 'cueframe_step_duration_seconds_bucket' && s.labels.kind === kind).map((s) => [s.labels.le, s.value]);
    const les = ['0.5', '1', '2', '5', '10', '30', '60', '120', '300', '+Inf'];
    expect(buckets('plan')).toEqual(les.map((le, i) => [le, i >= 3 ? 1 : 0]));
    expect(buckets('render')).toEqual(les.map((le) => [le, 1]));
    expect(m.value('cueframe_step_duration_seconds_sum', { kind: 'plan' })).toBe(3);
    expect(m.value('cueframe_step_duration_seconds_sum', { kind: 'render' })).toBe(0.25);
    // The webhook completion had no step_started in its invocation: counted, but not timed.
    expect(m.value('cueframe_step_duration_seconds_count', { kind: 'webhook' })).toBe(0);
  });

  it('do not go down when the event log is cleaned up or videos and tasks are deleted', async () => {
    await scriptedSequence();
    const monotonic = (e: Exposition) => e.samples.filter((s) =>
      e.types[s.name] === 'counter' || /_(bucket|sum|count)$/.test(s.name));
    const before = monotonic(await scrape());
    expect(before.filter((s) => s.value > 0).length).toBeGreaterThan(10);
    await admin.db.transaction(async (tx) => {
      // task_events is append-only (its trigger refuses deletes); an operator's cleanup would bypass it like this.
      await tx.query('set local session_replication_role = replica');
      await tx.query('delete from task_events');
      await tx.query('delete from tasks');
      await tx.query('delete from credit_ledger');
    });
    expect(monotonic(await scrape())).toEqual(before);
  });

  it('file a step whose clock ran backwards as 0 s, so the sum never falls', async () => {
    const video = await insertVideo(admin.db, { status: 'rendering' });
    const task = await started(video, 'plan', 'inv-1', -2); // started 2 s "after" it completes
    await admin.db.transaction((tx) => complete(tx, task, video, 'inv-1'));
    const m = await scrape();
    expect(m.value('cueframe_step_duration_seconds_sum', { kind: 'plan' })).toBe(0);
    expect(m.value('cueframe_step_duration_seconds_bucket', { kind: 'plan', le: '0.5' })).toBe(1);
  });

  it('spread concurrent writers over shards and sum them at scrape', async () => {
    const video = await insertVideo(admin.db, { status: 'rendering', sceneCount: 8 });
    const tasks = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => started(video, 'render', `inv-${i}`, 1, i)));
    await Promise.all(tasks.map((t, i) => admin.db.transaction((tx) => complete(tx, t, video, `inv-${i}`))));
    const rows = (await admin.db.query<{ shards: number }>(
      "select count(distinct shard)::int as shards from metric_counters where name = 'tasks_completed'")).rows[0]!;
    expect(rows.shards).toBeGreaterThan(1);
    const m = await scrape();
    expect(m.value('cueframe_tasks_completed_total', { kind: 'render' })).toBe(8);
    expect(m.value('cueframe_step_duration_seconds_bucket', { kind: 'render', le: '1' })).toBe(8);
  });

  it('file a bucket that is no longer a boundary under the next one up', () => {
    const rows: CounterRow[] = [
      { name: 'step_duration_bucket', labels: { kind: 'plan', le: '7' }, value: 2 },
      { name: 'step_duration_bucket', labels: { kind: 'plan', le: '+Inf' }, value: 1 },
      { name: 'step_duration_sum_us', labels: { kind: 'plan' }, value: 14_500_000 },
    ];
    expect(stepHistogram(rows, 'plan', [5, 10])).toEqual({
      kind: 'plan', buckets: [{ le: 5, count: 0 }, { le: 10, count: 2 }], count: 3, sum: 14.5,
    });
  });
});
