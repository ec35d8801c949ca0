// Migration 0022 starts the running totals from the history already logged, so an upgrade does not
// reset /api/metrics' counters and histograms to 0.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { readCounters, stepHistogram, total } from '@/lib/admin/counters';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
let before: string;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
  before = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-migrations-'));
  for (const f of await fs.readdir('db/migrations')) if (f < '0022') await fs.copyFile(path.join('db/migrations', f), path.join(before, f));
});
afterAll(async () => {
  await t?.drop();
  await fs.rm(before, { recursive: true, force: true });
});

it('counts the events, step durations and captures logged before it', async () => {
  await migrate(t.db, { migrations: before });
  await t.db.query(`insert into owners (id, balance) values ('o', 100)`);
  const video = (await t.db.query<{ id: string }>(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status)
     values (gen_random_uuid(), 'o', 'h', 't', 1, '16:9', '720p', 'completed') returning id`)).rows[0]!.id;
  const task = async (kind: string, scene: number | null) => (await t.db.query<{ id: string }>(
    `insert into tasks (video_id, owner_id, kind, scene_index, status) values ($1::uuid, 'o', $2::text, $3::int, 'done') returning id`,
    [video, kind, scene])).rows[0]!.id;
  const plan = await task('plan', null);
  const render = await task('render', 0);
  const event = (taskId: string, type: string, inv: string, at: string) => t.db.query(
    `insert into task_events (task_id, video_id, type, invocation_id, at) values ($1::bigint, $2::uuid, $3::text, $4::text, $5::timestamptz)`,
    [taskId, video, type, inv, at]);
  await event(plan, 'step_started', 'i1', '2025-01-01T00:00:00Z');
  await event(plan, 'completed', 'i1', '2025-01-01T00:00:03Z');
  await event(render, 'retried', 'i2', '2025-01-01T00:00:04Z');
  await event(render, 'lease_expired', 'i3', '2025-01-01T00:00:05Z');
  await event(render, 'step_started', 'i4', '2025-01-01T00:00:06Z');
  await event(render, 'completed', 'i4', '2025-01-01T00:00:26Z');
  await t.db.query(
    `insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after) values
       ('o', $1::uuid, 'reserve', 0, -9, 91), ('o', $1::uuid, 'capture', 0, 0, 91)`, [video]);

  await migrate(t.db);
  const rows = await readCounters(t.db);
  expect([total(rows, 'tasks_completed', { kind: 'plan' }), total(rows, 'tasks_completed', { kind: 'render' }),
    total(rows, 'tasks_retried', { kind: 'render' }), total(rows, 'leases_expired', { kind: 'render' }),
    total(rows, 'credits_captured')]).toEqual([1, 1, 1, 1, 9]);
  expect(stepHistogram(rows, 'plan')).toMatchObject({ count: 1, sum: 3, buckets: expect.arrayContaining([{ le: 2, count: 0 }, { le: 5, count: 1 }]) });
  expect(stepHistogram(rows, 'render')).toMatchObject({ count: 1, sum: 20, buckets: expect.arrayContaining([{ le: 10, count: 0 }, { le: 30, count: 1 }]) });
});
