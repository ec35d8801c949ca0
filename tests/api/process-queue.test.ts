import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { GET, POST } from '@/app/api/video/process-queue/route';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
afterEach(async () => {
  await app?.cleanup();
  await t.db.query('truncate videos, tasks cascade');
});

describe('GET/POST /api/video/process-queue', () => {
  it('requires the cron secret when one is set, compared exactly', async () => {
    app = await createTestApp(t.db, { env: { CRON_SECRET: 's3cret-value' } });
    for (const authorization of [undefined, 'Bearer wrong', 'Bearer s3cret-valu', 'bearer s3cret-value', 's3cret-value']) {
      const res = await call(GET, { url: '/api/video/process-queue', headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    const ok = await call(GET, { url: '/api/video/process-queue', headers: { authorization: 'Bearer s3cret-value' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ processed: null, kicked: 0 });
  });

  it('fails closed on Vercel when no secret is configured', async () => {
    app = await createTestApp(t.db, { env: { VERCEL: '1' } });
    const res = await call(GET, { url: '/api/video/process-queue' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('misconfigured');
  });

  it('claims and runs one task, says what it did, and kicks for the work it fanned out', async () => {
    app = await createTestApp(t.db);
    const gen = await postJson(GENERATE, '/api/video/generate', { topic: 'Comets', sceneCount: 3 });
    const { id } = await gen.json();
    app.kicks.length = 0;

    const res = await call(POST, { url: '/api/video/process-queue', method: 'POST' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.processed).toMatchObject({ videoId: id, step: 'plan', outcome: 'completed', attempt: 1 });
    expect(body.processed.taskId).toMatch(/^\d+$/);
    expect(typeof body.processed.ms).toBe('number');
    // Three render tasks are ready; the default concurrency of 2 caps the fan-out.
    expect(body.kicked).toBe(2);
    expect(app.kicks).toEqual([2]);

    const claimed = await t.db.query<{ invocation_id: string }>(
      "select invocation_id from task_events where type = 'claimed' and task_id = $1::bigint", [body.processed.taskId],
    );
    expect(claimed.rows).toEqual([{ invocation_id: body.invocationId }]);
    expect(body.invocationId).toMatch(/^manual:/);
    const tasks = await t.db.query('select kind, scene_index, status from tasks where video_id = $1::uuid order by id', [id]);
    expect(tasks.rows).toEqual([
      { kind: 'plan', scene_index: null, status: 'done' },
      { kind: 'render', scene_index: 0, status: 'ready' },
      { kind: 'render', scene_index: 1, status: 'ready' },
      { kind: 'render', scene_index: 2, status: 'ready' },
    ]);
  });

  it('answers { processed: null } when the queue is empty', async () => {
    app = await createTestApp(t.db);
    const res = await call(GET, { url: '/api/video/process-queue' });
    expect(await res.json()).toMatchObject({ processed: null, kicked: 0 });
  });
});
