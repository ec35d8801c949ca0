import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as PROCESS_NEXT } from '@/app/api/admin/process-next/route';
import { NIL_UUID } from '@/lib/admin/audit';
import type { ProcessNextResult } from '@/lib/admin/types';
import { createVideo } from '@/lib/videos/create';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { ADMIN_TOKEN, adminEvents, truncateAll } from './seed';

let t: TestDatabase;
let app: TestApp;

async function processNext(): Promise<ProcessNextResult> {
  const res = await call(PROCESS_NEXT, { url: '/api/admin/process-next', method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.json();
}

async function eventTypes(): Promise<Record<string, number>> {
  const r = await t.db.query<{ type: string; n: number }>('select type, count(*)::int as n from task_events group by type');
  return Object.fromEntries(r.rows.map((row) => [row.type, row.n]));
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { env: { ADMIN_TOKEN }, providers: fakeProviders() });
});
afterAll(async () => {
  await app.cleanup();
  await t.drop();
});
beforeEach(async () => {
  await truncateAll(t.db);
  app.kicks.length = 0;
});

describe('POST /api/admin/process-next', () => {
  it('processes exactly one task and reports it, audited with its task, video and invocation', async () => {
    const video = await createVideo(t.db, {
      ownerId: 'owner-p', maxAttempts: 3, now: new Date(),
      request: {
        topic: 'Admin trigger', sceneCount: 2, aspectRatio: '16:9', resolution: '720p',
        provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false,
        language: 'en', music: 'none', musicVolume: 0, review: false,
      },
    });
    const plan = (await t.db.query<{ id: string }>("select id from tasks where kind = 'plan'")).rows[0]!.id;

    const r = await processNext();
    expect(r.invocationId).toMatch(/^manual:/);
    expect(r.processed).toEqual({
      taskId: plan, videoId: video.id, step: 'plan', sceneIndex: null, attempt: 1, outcome: 'completed', ms: expect.any(Number),
    });
    // Two scenes are ready now: the invocation kicks as many more as QUEUE_CONCURRENCY (2) allows.
    expect([r.kicked, app.kicks]).toEqual([2, [2]]);
    const tasks = await t.db.query<{ kind: string; status: string }>('select kind, status from tasks order by id');
    expect(tasks.rows).toEqual([
      { kind: 'plan', status: 'done' },
      { kind: 'render', status: 'ready' },
      { kind: 'render', status: 'ready' },
    ]);
    const types = await eventTypes();
    expect([types.claimed, types.step_started, types.completed, types.admin_action]).toEqual([1, 1, 1, 1]);
    expect(await adminEvents(t.db)).toEqual([{
      task_id: plan, video_id: video.id, invocation_id: r.invocationId,
      detail: {
        action: 'process_next', by: 'admin',
        result: { ok: true, taskId: plan, step: 'plan', sceneIndex: null, outcome: 'completed', ms: r.processed!.ms },
      },
    }]);
  });

  it('says the queue is empty when nothing is ready, and audits that too', async () => {
    const r = await processNext();
    expect(r).toEqual({ invocationId: expect.stringMatching(/^manual:/), processed: null, kicked: 0 });
    expect(await adminEvents(t.db)).toEqual([{
      task_id: null, video_id: NIL_UUID, invocation_id: r.invocationId,
      detail: { action: 'process_next', by: 'admin', result: { ok: true, processed: null } },
    }]);
  });
});
