import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET as PROCESS } from '@/app/api/video/process-queue/route';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, ownerCookie, postJson } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();

const control = (fn: typeof CANCEL, id: string, cookie = owner.cookie) =>
  call(fn, { url: `/api/video/${id}/${fn === CANCEL ? 'cancel' : 'retry'}`, method: 'POST', headers: { cookie }, params: { id } });

async function generate(): Promise<string> {
  const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Control', sceneCount: 2 }, { cookie: owner.cookie });
  return (await res.json()).id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { providers: fakeProviders() });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks, queue_owners, task_events cascade');
});

describe('POST /api/video/[id]/cancel and /retry', () => {
  it('cancels a queued video, then retry resumes it from the step it stopped at', async () => {
    const id = await generate();
    const res = await control(CANCEL, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, status: 'cancelled', stoppedTasks: 1 });
    expect(await (await call(PROCESS, { url: '/api/video/process-queue' })).json()).toMatchObject({ processed: null });

    const again = await control(CANCEL, id);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('conflict');

    const retry = await control(RETRY, id);
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ id, status: 'queued', requeued: [{ kind: 'plan', sceneIndex: null }] });
    expect(app.kicks).toContain(1);
    const p = await (await call(PROCESS, { url: '/api/video/process-queue' })).json();
    expect(p.processed).toMatchObject({ videoId: id, step: 'plan', outcome: 'completed' });
  });

  it('refuses to retry a video that has not failed or been cancelled', async () => {
    const id = await generate();
    const res = await control(RETRY, id);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('conflict');
  });

  it('answers 404, never 500, for malformed, unknown and other owners\' ids, and changes nothing', async () => {
    const id = await generate();
    const stranger = ownerCookie().cookie;
    for (const fn of [CANCEL, RETRY]) {
      for (const [videoId, cookie] of [['nope', owner.cookie], ['00000000-0000-4000-8000-000000000000', owner.cookie], [id, stranger]]) {
        const res = await control(fn, videoId!, cookie);
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
      }
    }
    const v = await t.db.query('select status from videos');
    expect(v.rows).toEqual([{ status: 'queued' }]);
  });

  it('duplicate and overlapping cron deliveries are harmless: one task, one run', async () => {
    await generate();
    const results = await Promise.all(Array.from({ length: 5 }, () => call(PROCESS, { url: '/api/video/process-queue' }).then((r) => r.json())));
    const ran = results.filter((r) => r.processed !== null).map((r) => r.processed.taskId);
    // The plan ran once; a delivery that arrived after it finished may have started a scene instead.
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ran).size).toBe(ran.length);
    const claims = await t.db.query<{ task_id: string; n: number }>(
      "select task_id, count(*)::int as n from task_events where type = 'claimed' group by task_id",
    );
    expect(claims.rows.every((r) => r.n === 1)).toBe(true);
    expect(claims.rows).toHaveLength(ran.length);
  });
});
