// A cancel and a step's completion meeting on the same video (issue 18 §1). Each interleaving is forced:
// one transaction is held still right after a chosen statement (tests/helpers/gate.ts) while the other
// one runs into it. Both take the video row first (lib/videos/lock-order.ts), so the second one waits,
// nothing deadlocks, the cancel never answers 500, and the credits move exactly once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { POST as ADMIN_CANCEL } from '@/app/api/admin/videos/[id]/cancel/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import type { Db } from '@/lib/db/types';
import { log } from '@/lib/log';
import { stepHandlers } from '@/lib/pipeline';
import type { StepHandler } from '@/lib/pipeline/context';
import { StepError } from '@/lib/steps/errors';
import { processOne } from '@/lib/pipeline/worker';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { pauseAfter, someoneWaitsForALock } from '../helpers/gate';
import { call, ownerCookie, postJson } from '../helpers/http';
import { deps, fakeCompose, fakeProviders } from '../helpers/queue';
import { waitFor } from '../helpers/wait';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const owner = ownerCookie();
let t: TestDatabase;
let app: TestApp;
/** The worker's own pool, a second "process" beside the routes'. */
let workerDb: Db;
let warn: MockInstance<typeof log.warn>;

const cancelAs = {
  owner: (id: string) => call(CANCEL, { url: `/api/video/${id}/cancel`, method: 'POST', headers: { cookie: owner.cookie }, params: { id } }),
  admin: (id: string) => call(ADMIN_CANCEL, {
    url: `/api/admin/videos/${id}/cancel`, method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, params: { id },
  }),
};

const handlers = { ...stepHandlers, compose: fakeCompose };
const workerOn = (db: Db, compose: StepHandler = fakeCompose) =>
  deps(db, app.storage, { providers: fakeProviders(), handlers: { ...handlers, compose } });
const failingCompose: StepHandler = async () => {
  throw new StepError('compose_failed', 'The clips could not be joined.', { permanent: true });
};

/** A one-scene video whose plan and render are done: its compose task is next. */
async function videoAtCompose(): Promise<string> {
  const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Locks', sceneCount: 1 }, { cookie: owner.cookie });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  for (const step of ['plan', 'render']) {
    expect(await processOne(workerOn(workerDb), { invocationId: `setup-${step}` })).toMatchObject({ step, outcome: 'completed' });
  }
  return id;
}

async function ledger(videoId: string): Promise<string[]> {
  const r = await t.db.query<{ kind: string }>('select kind from credit_ledger where video_id = $1::uuid order by id', [videoId]);
  return r.rows.map((row) => row.kind);
}

async function balance(): Promise<number> {
  return (await t.db.query<{ balance: number }>('select balance from owners where id = $1::text', [owner.ownerId])).rows[0]!.balance;
}

async function videoStatus(id: string): Promise<string> {
  return (await t.db.query<{ status: string }>('select status from videos where id = $1::uuid', [id])).rows[0]!.status;
}

const retried = () => warn.mock.calls.filter(([msg]) => msg === 'transaction retried');

beforeAll(async () => {
  t = await createTestDatabase();
  workerDb = t.connect();
  app = await createTestApp(t.db, { env: { ADMIN_TOKEN }, providers: fakeProviders() });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks, queue_owners, task_events, credit_ledger, owners, webhook_events cascade');
  warn = vi.spyOn(log, 'warn');
});
afterEach(() => {
  warn.mockRestore();
});

describe.each(['owner', 'admin'] as const)('a cancel by the %s racing a compose completion', (by) => {
  it('arriving while the completion holds its locks, it waits, then answers 409; the reservation is captured once', async () => {
    const id = await videoAtCompose();
    const start = await balance();
    // The completion stops right after marking its task done: it holds the task row, and (taking the
    // video first) the video row.
    const gate = pauseAfter(workerDb, /update tasks\s+set status = 'done'/);
    const completing = processOne(workerOn(gate.db), { invocationId: 'composer' });
    await gate.reached;

    const cancelling = cancelAs[by](id);
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();

    const [res, done] = await Promise.all([cancelling, completing]);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict' });
    expect(done).toMatchObject({ step: 'compose', outcome: 'completed' });
    expect(await videoStatus(id)).toBe('completed');
    expect(await ledger(id)).toEqual(['reserve', 'capture']);
    expect(await balance()).toBe(start);
    // Waiting, not a deadlock that a retry papered over.
    expect(retried()).toEqual([]);
  });

  it('arriving while a step fails the video, it waits, then answers 409; the reservation is released once', async () => {
    const id = await videoAtCompose();
    const start = await balance();
    const cost = (await t.db.query<{ cost_credits: number }>('select cost_credits from videos where id = $1::uuid', [id])).rows[0]!.cost_credits;
    // The failure stops right after marking its task dead.
    const gate = pauseAfter(workerDb, /update tasks\s+set status = case/);
    const failing = processOne(workerOn(gate.db, failingCompose), { invocationId: 'composer' });
    await gate.reached;

    const cancelling = cancelAs[by](id);
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();

    const [res, done] = await Promise.all([cancelling, failing]);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'conflict' });
    expect(done).toMatchObject({ step: 'compose', outcome: 'dead' });
    expect(await videoStatus(id)).toBe('failed');
    expect(await ledger(id)).toEqual(['reserve', 'release']);
    expect(await balance()).toBe(start + cost);
    expect(retried()).toEqual([]);
  });

  it('holding the video when the completion arrives, it answers 200; the completion writes nothing and the reservation is released once', async () => {
    const id = await videoAtCompose();
    const start = await balance();
    const cost = (await t.db.query<{ cost_credits: number }>('select cost_credits from videos where id = $1::uuid', [id])).rows[0]!.cost_credits;
    // The cancel stops right after locking the video row, before it touches the tasks.
    const gate = pauseAfter(t.db, /from videos where id = \$1::uuid.*for no key update/s);
    app.db = gate.db;
    let cancelling: Promise<Response>;
    try {
      cancelling = cancelAs[by](id);
      await gate.reached;
    } finally {
      app.db = t.db;
    }

    const completing = processOne(workerOn(workerDb), { invocationId: 'composer' });
    await waitFor(() => someoneWaitsForALock(t.db));
    gate.release();

    const [res, done] = await Promise.all([cancelling, completing]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, status: 'cancelled', stoppedTasks: 1 });
    expect(done).toMatchObject({ step: 'compose', outcome: 'cancelled' });
    expect(await videoStatus(id)).toBe('cancelled');
    expect(await ledger(id)).toEqual(['reserve', 'release']);
    expect(await balance()).toBe(start + cost);
    const events = await t.db.query<{ type: string }>(
      "select type from task_events where task_id = (select id from tasks where video_id = $1::uuid and kind = 'compose') order by id", [id]);
    expect(events.rows.map((e) => e.type)).not.toContain('completed');
    expect(retried()).toEqual([]);
  });
});
