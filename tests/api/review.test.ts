// Review before rendering (issue 20 §4): a video asked for with `review` stops after planning in
// awaiting_review, with no render task yet; its owner edits the scenes, then approves (the workflow's
// fan-out runs then) or cancels (credits released). Races are forced with tests/helpers/gate.ts: one
// transaction is held right after it took the video row lock, on its own pool, while the other one
// runs into it through the route on another.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as APPROVE } from '@/app/api/video/[id]/approve/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { PATCH as EDIT } from '@/app/api/video/[id]/scenes/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { adminOverview } from '@/lib/admin/overview';
import { runCleanup } from '@/lib/cleanup/run';
import type { Db } from '@/lib/db/types';
import { stepHandlers } from '@/lib/pipeline';
import { approveVideo } from '@/lib/pipeline/pause';
import { processOne } from '@/lib/pipeline/worker';
import type { SceneInput } from '@/lib/providers/types';
import { cancelVideo, expireReviews } from '@/lib/videos/control';
import { editScenes } from '@/lib/videos/scenes';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { pauseAfter, someoneWaitsForALock } from '../helpers/gate';
import { call, ownerCookie, postJson } from '../helpers/http';
import { deps, fakeCompose, fakeContent, fakeProviders, noopStep, testPolicies } from '../helpers/queue';
import { waitFor } from '../helpers/wait';

const owner = ownerCookie();
const stranger = ownerCookie();
const callbackUrl = 'http://127.0.0.1:9/hooks';
let t: TestDatabase;
let app: TestApp;
/** A second pool: the gated transaction runs here, the racing route on the app's. */
let otherDb: Db;
/** The narration each render was given, by scene. */
let narrated: Map<number, string>;

const providers = fakeProviders({
  content: {
    async narration(scene: SceneInput, outPath: string, opts) {
      narrated.set(scene.sceneIndex, scene.narration);
      return fakeContent().narration(scene, outPath, opts);
    },
  },
});
const worker = () => deps(otherDb, app.storage, { providers, handlers: { ...stepHandlers, compose: fakeCompose, webhook: noopStep } });
const LOCKED = /for no key update/;

const approve = (id: string, cookie = owner.cookie) =>
  call(APPROVE, { url: `/api/video/${id}/approve`, method: 'POST', headers: { cookie }, params: { id } });
const cancel = (id: string, body?: unknown, cookie = owner.cookie) =>
  body === undefined
    ? call(CANCEL, { url: `/api/video/${id}/cancel`, method: 'POST', headers: { cookie }, params: { id } })
    : call(CANCEL, {
      url: `/api/video/${id}/cancel`, method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body), params: { id },
    });
const edit = (id: string, body: unknown, cookie = owner.cookie) =>
  call(EDIT, {
    url: `/api/video/${id}/scenes`, method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body), params: { id },
  });
const status = async (id: string) =>
  (await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie: owner.cookie }, params: { id } })).json();

/** A two-scene video with review on, planned: it awaits review. */
async function awaiting(): Promise<string> {
  const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Tides', sceneCount: 2, review: true, callbackUrl }, { cookie: owner.cookie });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  // Everything that is ready: this plan, its event's delivery, whatever earlier tests left behind.
  await drain();
  return id;
}

async function row(id: string) {
  return (await t.db.query<{ status: string; paused_at: Date | null; step_label: string }>(
    'select status, paused_at, step_label from videos where id = $1::uuid', [id])).rows[0]!;
}
async function renderTasks(id: string): Promise<{ scene_index: number; status: string }[]> {
  return (await t.db.query<{ scene_index: number; status: string }>(
    "select scene_index, status from tasks where video_id = $1::uuid and kind = 'render' order by scene_index", [id])).rows;
}
async function ledger(id: string): Promise<string[]> {
  return (await t.db.query<{ kind: string }>('select kind from credit_ledger where video_id = $1::uuid order by id', [id])).rows.map((r) => r.kind);
}
async function balance(): Promise<number> {
  return (await t.db.query<{ balance: number }>('select balance from owners where id = $1::text', [owner.ownerId])).rows[0]!.balance;
}
async function activeVideos(): Promise<number> {
  return (await t.db.query<{ active_videos: number }>('select active_videos from owners where id = $1::text', [owner.ownerId])).rows[0]!.active_videos;
}
async function events(id: string) {
  return (await t.db.query<{ outcome: string; type: string; status: string; tasks: number }>(
    `select e.outcome, e.payload->>'type' as type, e.payload->>'status' as status,
            (select count(*)::int from tasks k where k.kind = 'webhook' and k.ref = e.id::text) as tasks
     from webhook_events e where e.video_id = $1::uuid order by e.created_at, e.outcome`, [id])).rows;
}
async function drain(): Promise<void> {
  while (await processOne(worker(), { invocationId: 'drain' })) { /* run everything that is ready */ }
}

beforeAll(async () => {
  t = await createTestDatabase();
  otherDb = t.connect();
  app = await createTestApp(t.db, { env: { WEBHOOK_ALLOW_PRIVATE: '1' }, providers });
});
afterAll(async () => {
  await otherDb.close();
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks, queue_owners, task_events, credit_ledger, owners, webhook_events cascade');
  narrated = new Map();
  app.kicks.length = 0;
});

describe('review before rendering', () => {
  it('plan → awaiting_review (no render task) → edit → approve → renders the edited narration → completed', async () => {
    const id = await awaiting();
    const start = await balance();
    expect(await row(id)).toMatchObject({ status: 'awaiting_review', step_label: 'Waiting for your review' });
    expect((await row(id)).paused_at).toBeInstanceOf(Date);
    expect(await renderTasks(id)).toEqual([]);
    // Nothing is ready: the queue has nothing to claim while the person reads.
    expect(await processOne(worker(), { invocationId: 'idle' })).toBeNull();
    app.kicks.length = 0;
    const waiting = await status(id);
    expect(waiting).toMatchObject({ status: 'awaiting_review', progress: 10, review: true, etaMs: null });
    expect(waiting.awaitingReviewSince).toEqual((await row(id)).paused_at!.toISOString());
    expect(await activeVideos()).toBe(1);
    // Operators see it waiting on its owner.
    const since = (await row(id)).paused_at!;
    expect((await adminOverview(t.db, new Date(since.getTime() + 90_000))).awaitingReview).toEqual({ count: 1, oldestSeconds: 90 });

    const res = await edit(id, { scenes: [{ index: 1, narration: '  The moon pulls the sea.  ', visualPrompt: 'A full moon over a beach' }] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.scenes).toEqual([
      { index: 0, narration: 'Scene 1 about Tides.', visualPrompt: 'prompt 0', durationMs: 1000 },
      // The estimate was for the old words: forgotten until the render measures the new ones.
      { index: 1, narration: 'The moon pulls the sea.', visualPrompt: 'A full moon over a beach', durationMs: null },
    ]);
    // A prompt-only edit keeps the duration.
    expect((await (await edit(id, { scenes: [{ index: 0, visualPrompt: 'Waves' }] })).json()).scenes[0]).toMatchObject({ durationMs: 1000 });

    const approved = await approve(id);
    expect(approved.status).toBe(202);
    expect(await approved.json()).toEqual({ id, status: 'rendering', statusUrl: `/api/video/status/${id}` });
    expect(app.kicks).toEqual([2]);
    expect(await row(id)).toMatchObject({ status: 'rendering', paused_at: null });
    expect(await renderTasks(id)).toEqual([{ scene_index: 0, status: 'ready' }, { scene_index: 1, status: 'ready' }]);

    await drain();
    expect(narrated.get(1)).toBe('The moon pulls the sea.');
    expect(narrated.get(0)).toBe('Scene 1 about Tides.');
    expect((await row(id)).status).toBe('completed');
    expect(await ledger(id)).toEqual(['reserve', 'capture']);
    expect(await balance()).toBe(start);
    // The review's event once, then the outcome's.
    expect(await events(id)).toEqual([
      { outcome: 'awaiting_review', type: 'video.awaiting_review', status: 'awaiting_review', tasks: 1 },
      { outcome: 'completed', type: 'video.completed', status: 'completed', tasks: 1 },
    ]);
    // After approval, edits are refused.
    expect((await edit(id, { scenes: [{ index: 0, narration: 'Late' }] })).status).toBe(409);
  });

  it('a video without review is never paused and sends no awaiting_review event', async () => {
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Plain', sceneCount: 2, callbackUrl }, { cookie: owner.cookie });
    const { id } = await res.json();
    await processOne(worker(), { invocationId: 'planner' });
    expect((await row(id)).status).toBe('rendering');
    expect(await renderTasks(id)).toHaveLength(2);
    expect(await events(id)).toEqual([]);
  });

  it('other owners get 404 on edit, approve and cancel, and nothing changes', async () => {
    const id = await awaiting();
    for (const res of [
      await edit(id, { scenes: [{ index: 0, narration: 'Mine now' }] }, stranger.cookie),
      await approve(id, stranger.cookie),
      await cancel(id, undefined, stranger.cookie),
      await edit('not-a-uuid', { scenes: [{ index: 0, narration: 'x' }] }),
      await approve('00000000-0000-4000-8000-000000000000'),
    ]) {
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
    expect((await row(id)).status).toBe('awaiting_review');
    expect(await renderTasks(id)).toEqual([]);
    expect((await status(id)).scenes.map((s: { narration: string }) => s.narration)).toEqual(['Scene 1 about Tides.', 'Scene 2 about Tides.']);
  });

  it('validates edits like generate: 422 for empty, too long, broken or unknown scenes, and writes nothing', async () => {
    const id = await awaiting();
    const cases: [unknown, string][] = [
      [{ scenes: [{ index: 0, narration: '   ' }] }, 'scenes.0.narration'],
      [{ scenes: [{ index: 0, narration: 'x'.repeat(601) }] }, 'scenes.0.narration'],
      [{ scenes: [{ index: 0, narration: 'nul \u0000 byte' }] }, 'scenes.0.narration'],
      [{ scenes: [{ index: 0, narration: 'lone \ud800 surrogate' }] }, 'scenes.0.narration'],
      [{ scenes: [{ index: 0, visualPrompt: 'p'.repeat(1001) }] }, 'scenes.0.visualPrompt'],
      [{ scenes: [{ index: 0 }] }, 'scenes.0'],
      [{ scenes: [{ index: 0, narration: 'a' }, { index: 0, narration: 'b' }] }, 'scenes.1.index'],
      [{ scenes: [{ index: 2, narration: 'No such scene' }] }, 'scenes.0.index'],
      [{ scenes: [{ index: 1, narration: 'ok' }, { index: 7, narration: 'No such scene' }] }, 'scenes.1.index'],
      [{ scenes: [] }, 'scenes'],
      [{ scenes: [{ index: 0, narration: 'x', extra: 1 }] }, 'scenes.0'],
    ];
    for (const [body, path] of cases) {
      const res = await edit(id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const err = (await res.json()).error;
      expect(err.code).toBe('validation_failed');
      expect(err.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await edit(id, { scenes: [{ index: 0, narration: 'x'.repeat(600) }] })).status).toBe(200);
    expect((await status(id)).scenes[1].narration).toBe('Scene 2 about Tides.');
  });

  it('answers 409 to approve and edit unless the video awaits review', async () => {
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Early', sceneCount: 1, review: true }, { cookie: owner.cookie });
    const { id } = await res.json();
    // Still queued: nothing to review yet.
    for (const r of [await approve(id), await edit(id, { scenes: [{ index: 0, narration: 'Too soon' }] })]) {
      expect(r.status).toBe(409);
      expect((await r.json()).error.code).toBe('conflict');
    }
    await processOne(worker(), { invocationId: 'planner' });
    expect((await approve(id)).status).toBe(202);
    const again = await approve(id);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('conflict');
  });

  it('cancel works while awaiting review and releases the credits; approve and edit after it get 409', async () => {
    const id = await awaiting();
    const reserved = await balance();
    const cost = (await t.db.query<{ cost_credits: number }>('select cost_credits from videos where id = $1::uuid', [id])).rows[0]!.cost_credits;
    const res = await cancel(id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, status: 'cancelled', stoppedTasks: 0 });
    expect(await ledger(id)).toEqual(['reserve', 'release']);
    expect(await balance()).toBe(reserved + cost);
    expect(await activeVideos()).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'cancelled', paused_at: null });
    for (const r of [await approve(id), await edit(id, { scenes: [{ index: 0, narration: 'After' }] })]) expect(r.status).toBe(409);
    expect(await renderTasks(id)).toEqual([]);
    expect((await events(id)).map((e) => e.outcome)).toEqual(['awaiting_review', 'cancelled']);
  });

  it('retrying a review that was cancelled reopens the review: credits reserved again, the event sent for the new round', async () => {
    const id = await awaiting();
    expect((await cancel(id)).status).toBe(200);
    const res = await call(RETRY, { url: `/api/video/${id}/retry`, method: 'POST', headers: { cookie: owner.cookie }, params: { id } });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id, status: 'awaiting_review', requeued: [] });
    expect(await row(id)).toMatchObject({ status: 'awaiting_review', step_label: 'Waiting for your review' });
    expect((await row(id)).paused_at).toBeInstanceOf(Date);
    expect(await ledger(id)).toEqual(['reserve', 'release', 'reserve']);
    expect(await renderTasks(id)).toEqual([]);
    expect((await events(id)).map((e) => e.outcome)).toEqual(['awaiting_review', 'cancelled', 'awaiting_review']);
    expect((await approve(id)).status).toBe(202);
    await drain();
    expect((await row(id)).status).toBe('completed');
    expect(await ledger(id)).toEqual(['reserve', 'release', 'reserve', 'capture']);
  });

  it('a cancel conditioned on awaiting_review is refused once the video moved on, and changes nothing', async () => {
    const id = await awaiting();
    expect((await approve(id)).status).toBe(202);
    const res = await cancel(id, { ifStatus: 'awaiting_review' });
    expect(res.status).toBe(409);
    expect((await row(id)).status).toBe('rendering');
    expect(await ledger(id)).toEqual(['reserve']);
    expect((await cancel(id, { ifStatus: 'nonsense' })).status).toBe(422);
  });
});

describe('approve, cancel and edit under concurrency (separate connections, forced interleavings)', () => {
  it('approve holds the lock, a review cancel waits and gets 409: the video renders, the reservation stays', async () => {
    const id = await awaiting();
    const gate = pauseAfter(otherDb, LOCKED);
    const approving = approveVideo(gate.db, owner.ownerId, id, new Date(), testPolicies);
    await gate.reached;
    const cancelling = cancel(id, { ifStatus: 'awaiting_review' });
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();
    const [approved, cancelled] = await Promise.all([approving, cancelling]);
    expect(approved).toMatchObject({ id, status: 'rendering', enqueued: 2 });
    expect(cancelled.status).toBe(409);
    expect((await row(id)).status).toBe('rendering');
    expect(await renderTasks(id)).toEqual([{ scene_index: 0, status: 'ready' }, { scene_index: 1, status: 'ready' }]);
    expect(await ledger(id)).toEqual(['reserve']);
  });

  it('cancel holds the lock, approve waits and gets 409: no render task, the credits are released once', async () => {
    const id = await awaiting();
    const start = await balance();
    const gate = pauseAfter(otherDb, LOCKED);
    const cancelling = cancelVideo(gate.db, owner.ownerId, id, new Date(), 3, 'awaiting_review');
    await gate.reached;
    const approving = approve(id);
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();
    const [cancelled, approved] = await Promise.all([cancelling, approving]);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(approved.status).toBe(409);
    expect((await approved.json()).error.code).toBe('conflict');
    expect((await row(id)).status).toBe('cancelled');
    expect(await renderTasks(id)).toEqual([]);
    expect(await ledger(id)).toEqual(['reserve', 'release']);
    expect(await balance()).toBeGreaterThan(start);
  });

  it('two approves: one 202, one 409, and each scene gets one render task', async () => {
    const id = await awaiting();
    const gate = pauseAfter(otherDb, LOCKED);
    const first = approveVideo(gate.db, owner.ownerId, id, new Date(), testPolicies);
    await gate.reached;
    const second = approve(id);
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ status: 'rendering', enqueued: 2 });
    expect(b.status).toBe(409);
    expect(await renderTasks(id)).toHaveLength(2);
    expect(await ledger(id)).toEqual(['reserve']);
  });

  it('untimed: approve and a review cancel sent together, each on its own connection, exactly one succeeds', async () => {
    for (let i = 0; i < 4; i++) {
      const id = await awaiting();
      const [a, c] = await Promise.all([
        approveVideo(otherDb, owner.ownerId, id, new Date(), testPolicies).then(() => 202, (e: { status?: number }) => e.status ?? 500),
        cancel(id, { ifStatus: 'awaiting_review' }).then((r) => r.status),
      ]);
      expect(a === 202 ? [a, c] : [c, a]).toEqual(a === 202 ? [202, 409] : [200, 409]);
      const s = (await row(id)).status;
      expect(s).toBe(a === 202 ? 'rendering' : 'cancelled');
      expect(await ledger(id)).toEqual(a === 202 ? ['reserve'] : ['reserve', 'release']);
      expect(await renderTasks(id)).toHaveLength(a === 202 ? 2 : 0);
    }
  });

  it('approve holds the lock, an edit waits and gets 409: the render uses the narration that was approved', async () => {
    const id = await awaiting();
    const gate = pauseAfter(otherDb, LOCKED);
    const approving = approveVideo(gate.db, owner.ownerId, id, new Date(), testPolicies);
    await gate.reached;
    const editing = edit(id, { scenes: [{ index: 0, narration: 'Too late' }] });
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();
    const [, edited] = await Promise.all([approving, editing]);
    expect(edited.status).toBe(409);
    await drain();
    expect(narrated.get(0)).toBe('Scene 1 about Tides.');
  });

  it('an edit holds the lock, approve waits, then renders the edit', async () => {
    const id = await awaiting();
    const gate = pauseAfter(otherDb, LOCKED);
    const editing = editScenes(gate.db, owner.ownerId, id, { scenes: [{ index: 0, narration: 'Just in time' }] }, new Date());
    await gate.reached;
    const approving = approve(id);
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();
    const [edited, approved] = await Promise.all([editing, approving]);
    expect(edited.scenes[0]!.narration).toBe('Just in time');
    expect(approved.status).toBe(202);
    await drain();
    expect(narrated.get(0)).toBe('Just in time');
  });
});

describe('review expiry (cleanup, REVIEW_TTL_HOURS)', () => {
  const HOUR = 3_600_000;
  const cleanAt = (now: Date) => runCleanup({
    db: t.db, storage: app.storage, now: () => now, retention: { intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 }, tmpRoot: app.dataDir,
  });

  it('cancels a review left open past the TTL and releases its credits; a younger one stays', async () => {
    const old = await awaiting();
    const young = await awaiting();
    const pausedOld = (await row(old)).paused_at!;
    await t.db.query('update videos set paused_at = $2::timestamptz where id = $1::uuid', [young, new Date(pausedOld.getTime() + 2 * HOUR)]);
    const start = await balance();

    // Just before the TTL: nothing expires.
    expect((await cleanAt(new Date(pausedOld.getTime() + 24 * HOUR - 1000))).expiredReviews).toBe(0);
    expect((await row(old)).status).toBe('awaiting_review');

    const report = await cleanAt(new Date(pausedOld.getTime() + 25 * HOUR));
    expect(report.expiredReviews).toBe(1);
    expect(await row(old)).toMatchObject({ status: 'cancelled', step_label: 'Review expired', paused_at: null });
    expect((await status(old)).error).toMatchObject({ code: 'review_expired' });
    expect(await ledger(old)).toEqual(['reserve', 'release']);
    expect(await balance()).toBeGreaterThan(start);
    expect((await events(old)).map((e) => e.outcome)).toEqual(['awaiting_review', 'cancelled']);
    expect((await row(young)).status).toBe('awaiting_review');
    expect(await ledger(young)).toEqual(['reserve']);
    // A second run finds nothing more to do: the release happened once.
    expect((await cleanAt(new Date(pausedOld.getTime() + 25 * HOUR))).expiredReviews).toBe(0);
    expect(await ledger(old)).toEqual(['reserve', 'release']);
  });

  it('an approval that holds the lock wins over expiry: the expiry waits, then leaves the video rendering', async () => {
    const id = await awaiting();
    const later = new Date((await row(id)).paused_at!.getTime() + 48 * HOUR);
    const gate = pauseAfter(otherDb, LOCKED);
    const approving = approveVideo(gate.db, owner.ownerId, id, new Date(), testPolicies);
    await gate.reached;
    const expiring = expireReviews(t.db, new Date(later.getTime() - 24 * HOUR), later, 3);
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();
    const [, expired] = await Promise.all([approving, expiring]);
    expect(expired).toEqual([]);
    expect((await row(id)).status).toBe('rendering');
    expect(await ledger(id)).toEqual(['reserve']);
  });
});

describe('scene previews', () => {
  it('a rendered scene carries its stored image, signed, as the preview poster', async () => {
    const id = await awaiting();
    expect((await status(id)).scenes.map((s: { posterUrl: string | null }) => s.posterUrl)).toEqual([null, null]);
    await approve(id);
    await drain();
    const v = await status(id);
    for (const s of v.scenes) {
      expect(s.posterUrl).toMatch(new RegExp(`/api/files/videos/${id}/scenes/${s.index}/image\\.png\\?exp=\\d+&sig=`));
    }
  });
});
