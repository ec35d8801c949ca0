import { beforeEach, describe, expect, it } from 'vitest';
import { POST as REQUEUE } from '@/app/api/admin/tasks/requeue-dead/route';
import { POST as CANCEL } from '@/app/api/admin/videos/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/admin/videos/[id]/retry/route';
import { NIL_UUID } from '@/lib/admin/audit';
import type { Queryable } from '@/lib/db/types';
import { call, postJson } from '../helpers/http';
import { ADMIN_TOKEN, adminEvents, at, insertTask, insertVideo, useAdminApp } from './seed';

const admin = useAdminApp();
const UNKNOWN = '00000000-0000-4000-8000-00000000abcd';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const act = (fn: typeof RETRY, id: string) => call(fn, { url: `/api/admin/videos/${id}/x`, method: 'POST', headers: auth, params: { id } });

async function tasksOf(q: Queryable, videoId: string) {
  const r = await q.query<{ kind: string; scene_index: number | null; status: string; attempts: number; last_error: string | null }>(
    'select kind, scene_index, status, attempts, last_error from tasks where video_id = $1::uuid order by id', [videoId]);
  return r.rows;
}

async function videoRow(q: Queryable, id: string) {
  return (await q.query<{ status: string; error_code: string | null; retry_round: number }>(
    'select status, error_code, retry_round from videos where id = $1::uuid', [id])).rows[0];
}

/** A failed video: plan done, scene 0 paused (cancelled) or rendered, scene 1 dead. */
async function failedVideo(q: Queryable, opts: { sceneZero: 'cancelled' | 'done' }): Promise<string> {
  const id = await insertVideo(q, { status: 'failed', completedAt: at(-60), errorCode: 'render_failed', errorMessage: 'boom' });
  await q.query(
    `insert into scenes (video_id, index, narration, visual_prompt, status)
     values ($1::uuid, 0, 'a', 'a', $2::text), ($1::uuid, 1, 'b', 'b', 'failed')`,
    [id, opts.sceneZero === 'done' ? 'rendered' : 'pending'],
  );
  await insertTask(q, { videoId: id, kind: 'plan', status: 'done' });
  await insertTask(q, { videoId: id, kind: 'render', sceneIndex: 0, status: opts.sceneZero });
  await insertTask(q, { videoId: id, kind: 'render', sceneIndex: 1, status: 'dead', attempts: 3, lastErrorCode: 'render_failed', lastError: 'boom' });
  return id;
}

beforeEach(async () => {
  await admin.db.query("insert into owners (id, balance) values ('owner-a', 100)");
  admin.app.kicks.length = 0;
});

describe('POST /api/admin/videos/[id]/retry and /cancel', () => {
  it('retries any owner\'s failed video: only the dead step runs again, and the action is audited', async () => {
    const id = await failedVideo(admin.db, { sceneZero: 'done' });
    const res = await act(RETRY, id);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id, status: 'rendering', requeued: [{ kind: 'render', sceneIndex: 1 }] });
    expect(await tasksOf(admin.db, id)).toEqual([
      { kind: 'plan', scene_index: null, status: 'done', attempts: 0, last_error: null },
      { kind: 'render', scene_index: 0, status: 'done', attempts: 0, last_error: null },
      { kind: 'render', scene_index: 1, status: 'ready', attempts: 0, last_error: null },
    ]);
    expect(await videoRow(admin.db, id)).toEqual({ status: 'rendering', error_code: null, retry_round: 1 });
    expect(admin.app.kicks).toEqual([1]);
    expect(await adminEvents(admin.db)).toEqual([{
      task_id: null, video_id: id, invocation_id: null,
      detail: { action: 'retry_video', by: 'admin', result: { ok: true, status: 'rendering', requeued: 1 } },
    }]);

    const again = await act(RETRY, id);
    expect(again.status).toBe(409);
    const events = await adminEvents(admin.db);
    expect(events).toHaveLength(2);
    expect(events[1]!.detail).toMatchObject({ action: 'retry_video', by: 'admin', result: { ok: false, error: { code: 'conflict' } } });
  });

  it('cancels any owner\'s running video: queued and running steps stop, and the action is audited', async () => {
    const id = await insertVideo(admin.db, { status: 'rendering', ownerId: 'someone-else' });
    await admin.db.query("insert into owners (id, balance) values ('someone-else', 5)");
    await insertTask(admin.db, { videoId: id, kind: 'plan', status: 'done' });
    await insertTask(admin.db, { videoId: id, kind: 'render', sceneIndex: 0, status: 'running', lockedBy: 'inv-z', lockedUntil: at(60) });
    await insertTask(admin.db, { videoId: id, kind: 'render', sceneIndex: 1, status: 'ready' });
    const res = await act(CANCEL, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, status: 'cancelled', stoppedTasks: 2 });
    expect((await tasksOf(admin.db, id)).map((x) => x.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect((await videoRow(admin.db, id))!.status).toBe('cancelled');
    expect((await adminEvents(admin.db)).map((e) => [e.video_id, e.detail])).toEqual([
      [id, { action: 'cancel_video', by: 'admin', result: { ok: true, status: 'cancelled', stoppedTasks: 2 } }],
    ]);
  });

  it('answers 404 for unknown ids (audited) and malformed ids (nothing to audit), changing nothing', async () => {
    const unknown = UNKNOWN;
    for (const fn of [RETRY, CANCEL]) {
      expect((await act(fn, unknown)).status).toBe(404);
      expect((await act(fn, 'not-a-uuid')).status).toBe(404);
    }
    const events = await adminEvents(admin.db);
    expect(events.map((e) => [e.video_id, e.detail.action, (e.detail.result as { error: { code: string } }).error.code])).toEqual([
      [unknown, 'retry_video', 'not_found'],
      [unknown, 'cancel_video', 'not_found'],
    ]);
  });
});

describe('POST /api/admin/tasks/requeue-dead', () => {
  async function seedDead() {
    const paused = await failedVideo(admin.db, { sceneZero: 'cancelled' });
    const unplanned = await insertVideo(admin.db, { status: 'failed', completedAt: at(-30) });
    await insertTask(admin.db, { videoId: unplanned, kind: 'plan', status: 'dead', attempts: 3 });
    const delivered = await insertVideo(admin.db, { status: 'completed', completedAt: at(-30) });
    await insertTask(admin.db, { videoId: delivered, kind: 'webhook', ref: 'evt', status: 'dead', attempts: 8 });
    const cancelled = await insertVideo(admin.db, { status: 'cancelled', completedAt: at(-30) });
    await insertTask(admin.db, { videoId: cancelled, kind: 'render', status: 'dead', attempts: 3 });
    return { paused, unplanned, delivered, cancelled };
  }

  it('re-queues every dead task: failed videos resume, webhooks go back, cancelled videos stay put', async () => {
    const v = await seedDead();
    const res = await call(REQUEUE, { url: '/api/admin/tasks/requeue-dead', method: 'POST', headers: auth });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ requeued: 4, skipped: 1 });
    expect(body.videos).toHaveLength(4);
    expect(body.videos).toContainEqual({ videoId: v.cancelled, requeued: 0, resumed: false, skipped: 1, reason: 'video_cancelled' });
    expect((await tasksOf(admin.db, v.paused)).map((x) => x.status)).toEqual(['done', 'ready', 'ready']);
    expect(await videoRow(admin.db, v.paused)).toMatchObject({ status: 'rendering', error_code: null });
    expect(await tasksOf(admin.db, v.unplanned)).toEqual([{ kind: 'plan', scene_index: null, status: 'ready', attempts: 0, last_error: null }]);
    expect((await videoRow(admin.db, v.unplanned))!.status).toBe('queued');
    expect((await tasksOf(admin.db, v.delivered)).map((x) => x.status)).toEqual(['ready']);
    expect((await videoRow(admin.db, v.delivered))!.status).toBe('completed');
    expect((await tasksOf(admin.db, v.cancelled)).map((x) => x.status)).toEqual(['dead']);
    const requeued = await admin.db.query("select count(*)::int as n from task_events where type = 'requeued'");
    expect(requeued.rows[0]).toEqual({ n: 4 });
    expect(admin.app.kicks).toEqual([2]); // QUEUE_CONCURRENCY caps the kick
    expect(await adminEvents(admin.db)).toEqual([{
      task_id: null, video_id: NIL_UUID, invocation_id: null,
      detail: { action: 'requeue_dead', by: 'admin', result: { ok: true, requeued: 4, skipped: 1, videos: 4 } },
    }]);
  });

  it('re-queues one video\'s dead tasks only, and refuses bad or unknown ids without writing', async () => {
    const v = await seedDead();
    expect((await postJson(REQUEUE, '/api/admin/tasks/requeue-dead', { videoId: 'nope' }, auth)).status).toBe(422);
    expect((await postJson(REQUEUE, '/api/admin/tasks/requeue-dead', { videoId: UNKNOWN }, auth)).status).toBe(404);
    const res = await postJson(REQUEUE, '/api/admin/tasks/requeue-dead', { videoId: v.unplanned }, auth);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      requeued: 1, skipped: 0, videos: [{ videoId: v.unplanned, requeued: 1, resumed: true, skipped: 0, reason: null }],
    });
    const dead = await admin.db.query<{ video_id: string }>("select video_id from tasks where status = 'dead' order by video_id");
    expect(dead.rows.map((r) => r.video_id).sort()).toEqual([v.paused, v.delivered, v.cancelled].sort());
    const events = await adminEvents(admin.db);
    expect(events.map((e) => [e.video_id, (e.detail.result as { ok: boolean }).ok])).toEqual([
      [UNKNOWN, false],
      [v.unplanned, true],
    ]);
  });
});

