import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GET, POST } from '@/app/api/video/process-queue/route';
import { createApp } from '@/lib/app';
import { loadConfig } from '@/lib/config';
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
    app = await createTestApp(t.db, { env: { CRON_SECRET: 's3cret-value-0123456' } });
    for (const authorization of [undefined, 'Bearer wrong', 'Bearer s3cret-value-012345', 'bearer s3cret-value-0123456', 's3cret-value-0123456']) {
      const res = await call(GET, { url: '/api/video/process-queue', headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    const ok = await call(GET, { url: '/api/video/process-queue', headers: { authorization: 'Bearer s3cret-value-0123456' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ processed: null, kicked: 0 });
  });

  it('refuses a CRON_SECRET shorter than 16 characters: logged at start, and the route stays closed', async () => {
    // The start (createApp) says so plainly, naming the variable and never its value.
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-weak-'));
    try {
      const started = await createApp(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: t.url!, SCHEDULER: 'off', CRON_SECRET: 'short-secret' }));
      await started.db.close();
    } finally {
      spy.mockRestore();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
    expect(lines.some((l) => l.includes('secret refused') && l.includes('CRON_SECRET'))).toBe(true);
    expect(lines.join('\n')).not.toContain('short-secret');
    app = await createTestApp(t.db, { env: { CRON_SECRET: 'c' } });
    for (const headers of [{}, { authorization: 'Bearer c' }] as Record<string, string>[]) {
      const res = await call(GET, { url: '/api/video/process-queue', headers });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatchObject({ code: 'misconfigured', message: expect.stringMatching(/too short/) });
    }
  });

  it('under next start (production) with no secret, answers 503 as on Vercel; only next dev leaves it open', async () => {
    app = await createTestApp(t.db, { env: { NODE_ENV: 'production' } });
    const res = await call(GET, { url: '/api/video/process-queue' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('misconfigured');
    await app.cleanup();
    app = await createTestApp(t.db, { env: { NODE_ENV: 'development' } });
    expect((await call(GET, { url: '/api/video/process-queue' })).status).toBe(200);
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
