// DELETE /api/video/[id]: a finished video leaves its owner's status and list, nothing of it runs
// again, and its files go; the row, its credit ledger and the queue's history stay (migration 0011).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELETE } from '@/app/api/video/[id]/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { GET as LIST } from '@/app/api/videos/route';
import { deadTasks, failedVideos } from '@/lib/admin/failures';
import { runCleanup } from '@/lib/cleanup/run';
import { collect } from '@/lib/cleanup/plan';
import { videoKeys } from '@/lib/storage/keys';
import { deleteVideo } from '@/lib/videos/control';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, ownerCookie, postJson } from '../helpers/http';
import { waitFor } from '../helpers/wait';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
const stranger = ownerCookie();

const del = (id: string, cookie = owner.cookie) =>
  call(DELETE, { url: `/api/video/${id}`, method: 'DELETE', headers: { cookie }, params: { id } });
const status = (id: string) => call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: owner.cookie }, params: { id } });
const files = async (id: string) => (await collect(app.storage, videoKeys(id).prefix)).map((o) => o.key).sort();
const row = async (id: string) =>
  (await t.db.query<{ status: string; deleted_at: Date | null }>('select status, deleted_at from videos where id = $1::uuid', [id])).rows[0]!;
const taskStatuses = async (id: string) =>
  (await t.db.query<{ kind: string; status: string }>('select kind, status from tasks where video_id = $1::uuid order by id', [id])).rows;

async function generate(): Promise<string> {
  const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Delete me', sceneCount: 1 }, { cookie: owner.cookie });
  expect(res.status).toBe(202);
  return (await res.json()).id;
}

/** What the pipeline leaves for a finished video: its files, its done steps, and the row pointing at them. */
async function finish(id: string, status: 'completed' | 'failed' = 'completed'): Promise<void> {
  const k = videoKeys(id);
  const keys = [k.final('Delete me'), k.poster, k.captions, k.scene(0), k.sceneImage(0)];
  for (const key of keys) await app.storage.put(key, Buffer.from(key), { contentType: 'application/octet-stream', access: 'private' });
  await t.db.query(`update tasks set status = $2::text where video_id = $1::uuid`, [id, status === 'completed' ? 'done' : 'dead']);
  await t.db.query(
    `update videos set status = $2::text, video_key = $3::text, poster_key = $4::text, captions_key = $5::text,
            completed_at = now(), updated_at = now() where id = $1::uuid`,
    [id, status, k.final('Delete me'), k.poster, k.captions],
  );
}

async function addTask(id: string, kind: string, status: string): Promise<void> {
  await t.db.query(
    `insert into tasks (video_id, owner_id, kind, scene_index, status, ref)
     values ($1::uuid, $2::text, $3::text, case when $3::text = 'render' then 0 end, $4::text, $5::text)`,
    [id, owner.ownerId, kind, status, randomUUID()],
  );
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db);
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks, queue_owners, task_events, credit_ledger, owners cascade');
  await fs.rm(path.join(app.dataDir, 'storage'), { recursive: true, force: true });
});

describe('DELETE /api/video/[id]', () => {
  it('deletes a finished video: gone from status and list, its queued work cancelled, its files removed, its ledger kept', async () => {
    const id = await generate();
    const kept = await generate();
    await finish(id);
    await addTask(id, 'webhook', 'ready'); // a delivery still waiting

    const res = await del(id);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const gone = await status(id);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe('not_found');
    const list = await (await call(LIST, { url: '/api/videos?limit=50', headers: { cookie: owner.cookie } })).json();
    expect(list.videos.map((v: { id: string }) => v.id)).toEqual([kept]);

    expect((await row(id)).deleted_at).toBeInstanceOf(Date);
    expect(await taskStatuses(id)).toEqual([{ kind: 'plan', status: 'done' }, { kind: 'webhook', status: 'cancelled' }]);
    const events = await t.db.query<{ reason: string }>(
      `select detail ->> 'reason' as reason from task_events where video_id = $1::uuid and type = 'cancelled'`, [id]);
    expect(events.rows).toEqual([{ reason: 'video_deleted' }]);
    const ledger = await t.db.query('select 1 from credit_ledger where video_id = $1::uuid', [id]);
    expect(ledger.rowCount).toBeGreaterThan(0);
    // The files go after the answer.
    await waitFor(async () => (await files(id)).length === 0);
    expect(await status(kept)).toHaveProperty('status', 200);

    // Nothing else can reach it any more, and a second delete finds nothing.
    for (const [fn, action] of [[CANCEL, 'cancel'], [RETRY, 'retry']] as const) {
      const r = await call(fn, { url: `/api/video/${id}/${action}`, method: 'POST', headers: { cookie: owner.cookie }, params: { id } });
      expect(r.status).toBe(404);
    }
    expect((await del(id)).status).toBe(404);
  });

  it('deletes a failed video: its dead steps are cancelled and it leaves the admin failures, so no one can re-queue it', async () => {
    const id = await generate();
    await finish(id, 'failed');
    expect((await failedVideos(t.db)).rows.map((v) => v.id)).toEqual([id]);
    expect((await deadTasks(t.db)).total).toBe(1);
    expect((await del(id)).status).toBe(204);
    expect(await taskStatuses(id)).toEqual([{ kind: 'plan', status: 'cancelled' }]);
    expect((await failedVideos(t.db)).total).toBe(0);
    expect((await deadTasks(t.db)).total).toBe(0);
  });

  it('refuses a video still being made, and changes nothing', async () => {
    const id = await generate();
    const res = await del(id);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict', message: expect.stringContaining('cancel it first') });
    expect(await row(id)).toEqual({ status: 'queued', deleted_at: null });
    expect(await taskStatuses(id)).toEqual([{ kind: 'plan', status: 'ready' }]);
  });

  it('refuses while a step of a finished video still runs, and leaves its waiting work as it was', async () => {
    const id = await generate();
    await finish(id, 'failed');
    await addTask(id, 'render', 'running'); // a parallel render that outlived the failure
    await addTask(id, 'webhook', 'ready');
    const res = await del(id);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('conflict');
    expect((await row(id)).deleted_at).toBeNull();
    expect(await taskStatuses(id)).toEqual([
      { kind: 'plan', status: 'dead' }, { kind: 'render', status: 'running' }, { kind: 'webhook', status: 'ready' },
    ]);
    expect(await files(id)).toHaveLength(5);
  });

  it("answers 404 for another owner's video and for a malformed id, changing nothing", async () => {
    const id = await generate();
    await finish(id);
    const res = await del(id, stranger.cookie);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    const bad = await del('not-a-uuid');
    expect(bad.status).toBe(404);
    expect((await bad.json()).error.code).toBe('not_found');
    expect((await row(id)).deleted_at).toBeNull();
    expect(await files(id)).toHaveLength(5);
  });

  it('leaves files that the removal missed to the next cleanup, which treats the video as having no row', async () => {
    const id = await generate();
    await finish(id);
    await deleteVideo(t.db, owner.ownerId, id, new Date()); // as if the process died before removing the files
    expect(await files(id)).toHaveLength(5);
    const report = await runCleanup({
      db: t.db, storage: app.storage, now: () => new Date(Date.now() + 2 * 3600_000),
      retention: { intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 }, tmpRoot: app.dataDir,
    });
    expect(report.removed.orphans).toBe(5);
    expect(await files(id)).toEqual([]);
  });
});
