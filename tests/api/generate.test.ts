import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/video/generate/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { workerDeps } from '@/lib/app';
import { processOne } from '@/lib/pipeline/worker';
import { createTestApp, type TestApp } from '../helpers/app';
import { fakeCompose } from '../helpers/queue';
import { call, ownerCookie, postJson } from '../helpers/http';

let t: TestDatabase;
let app: TestApp;

async function counts() {
  const r = await t.db.query<{ videos: number; tasks: number; events: number }>(
    'select (select count(*) from videos)::int as videos, (select count(*) from tasks)::int as tasks, (select count(*) from task_events)::int as events',
  );
  return r.rows[0]!;
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
  await t.db.query('truncate videos, tasks cascade');
  app.kicks.length = 0;
});

describe('POST /api/video/generate', () => {
  it('gives each task kind its own configured number of attempts', async () => {
    const tuned = await createTestApp(t.db, { env: { MAX_ATTEMPTS: '5', MAX_ATTEMPTS_PLAN: '2', MAX_ATTEMPTS_RENDER: '7', MAX_ATTEMPTS_COMPOSE: '3' } });
    try {
      const { cookie } = ownerCookie();
      const res = await postJson(POST, '/api/video/generate', { topic: 'Tides', sceneCount: 2 }, { cookie });
      const { id } = await res.json();
      const attempts = async () => (await t.db.query<{ kind: string; max_attempts: number }>(
        'select kind, max_attempts from tasks where video_id = $1::uuid order by id', [id])).rows;
      expect(await attempts()).toEqual([{ kind: 'plan', max_attempts: 2 }]);
      // The steps enqueue what follows them with that kind's setting.
      const d = { ...workerDeps(tuned), handlers: { ...workerDeps(tuned).handlers, compose: fakeCompose } };
      while (await processOne(d, { invocationId: 'w' })) { /* run the video through */ }
      expect(await attempts()).toEqual([
        { kind: 'plan', max_attempts: 2 }, { kind: 'render', max_attempts: 7 }, { kind: 'render', max_attempts: 7 }, { kind: 'compose', max_attempts: 3 },
      ]);
    } finally {
      await tuned.cleanup();
      app = await createTestApp(t.db);
    }
  });

  it('answers 202 at once with id, status and statusUrl, and queues the plan task', async () => {
    const { cookie } = ownerCookie();
    const res = await postJson(POST, '/api/video/generate', { topic: 'Volcanoes', sceneCount: 3, aspectRatio: '9:16' }, { cookie });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued', statusUrl: `/api/video/status/${body.id}`, costCredits: 4 });
    expect(res.headers.get('location')).toBe(body.statusUrl);
    const v = await t.db.query('select topic, scene_count, aspect_ratio, resolution, status from videos where id = $1::uuid', [body.id]);
    expect(v.rows).toEqual([{ topic: 'Volcanoes', scene_count: 3, aspect_ratio: '9:16', resolution: '720p', status: 'queued' }]);
    const tasks = await t.db.query('select kind, status from tasks where video_id = $1::uuid', [body.id]);
    expect(tasks.rows).toEqual([{ kind: 'plan', status: 'ready' }]);
    expect(app.kicks).toEqual([1]);
  });

  it('issues an owner cookie to a first-time caller', async () => {
    const res = await postJson(POST, '/api/video/generate', { topic: 'Tides' });
    expect(res.status).toBe(202);
    expect(res.headers.get('set-cookie')).toMatch(/^cf_owner=anon_[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it('applies defaults: 4 scenes, 16:9, 720p', async () => {
    const res = await postJson(POST, '/api/video/generate', { topic: 'Defaults' });
    const { id } = await res.json();
    const v = await t.db.query('select scene_count, aspect_ratio, resolution from videos where id = $1::uuid', [id]);
    expect(v.rows[0]).toEqual({ scene_count: 4, aspect_ratio: '16:9', resolution: '720p' });
  });

  it('stores hostile-looking topics verbatim and returns them unchanged', async () => {
    const { cookie } = ownerCookie();
    const topics = [
      `Robert'); DROP TABLE videos;-- "quoted"`,
      '<script>alert(1)</script><img src=x onerror=alert(2)>',
      'Emoji 🎬🌋👩🏽‍🚀 and ZWJ',
      'مرحبا بالعالم — שלום עולם',
      '  padded topic keeps inner   spaces  ',
    ];
    for (const topic of topics) {
      const res = await postJson(POST, '/api/video/generate', { topic }, { cookie });
      const { id } = await res.json();
      const status = await call(STATUS, { url: `/api/video/status/${id}`, headers: { cookie }, params: { id } });
      expect((await status.json()).topic).toBe(topic.trim());
    }
    expect((await counts()).videos).toBe(topics.length);
  });
});

describe('bad input gets a 4xx JSON error and writes nothing', () => {
  const big = JSON.stringify({ topic: 'x', description: 'y'.repeat(70 * 1024) });
  const cases: { name: string; body: BodyInit; type?: string; headers?: Record<string, string>; status: number; code: string }[] = [
    { name: 'malformed JSON', body: '{"topic": "x",', status: 400, code: 'invalid_json' },
    { name: 'wrong content type', body: 'topic=x', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
    { name: 'no content type', body: '{"topic":"x"}', type: '', status: 415, code: 'unsupported_media_type' },
    { name: 'invalid UTF-8', body: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, code: 'invalid_json' },
    { name: 'JSON array', body: '[1,2]', status: 422, code: 'validation_failed' },
    { name: 'JSON null', body: 'null', status: 422, code: 'validation_failed' },
    { name: 'missing topic', body: '{}', status: 422, code: 'validation_failed' },
    { name: 'empty topic', body: '{"topic":"   "}', status: 422, code: 'validation_failed' },
    { name: 'topic over 200 chars', body: JSON.stringify({ topic: 'a'.repeat(201) }), status: 422, code: 'validation_failed' },
    { name: 'topic of wrong type', body: '{"topic":42}', status: 422, code: 'validation_failed' },
    { name: 'description over 2000', body: JSON.stringify({ topic: 'x', description: 'd'.repeat(2001) }), status: 422, code: 'validation_failed' },
    { name: 'sceneCount 0', body: '{"topic":"x","sceneCount":0}', status: 422, code: 'validation_failed' },
    { name: 'sceneCount 13', body: '{"topic":"x","sceneCount":13}', status: 422, code: 'validation_failed' },
    { name: 'sceneCount 2.5', body: '{"topic":"x","sceneCount":2.5}', status: 422, code: 'validation_failed' },
    { name: 'sceneCount as string', body: '{"topic":"x","sceneCount":"4"}', status: 422, code: 'validation_failed' },
    { name: 'huge number', body: '{"topic":"x","sceneCount":1e308}', status: 422, code: 'validation_failed' },
    { name: 'unknown aspect ratio', body: '{"topic":"x","aspectRatio":"2:1"}', status: 422, code: 'validation_failed' },
    { name: 'unknown resolution', body: '{"topic":"x","resolution":"4k"}', status: 422, code: 'validation_failed' },
    { name: 'extra unknown field', body: '{"topic":"x","owner":"someone-else"}', status: 422, code: 'validation_failed' },
    { name: '__proto__ key', body: '{"topic":"x","__proto__":{"admin":true}}', status: 422, code: 'validation_failed' },
    { name: 'oversized body', body: big, status: 413, code: 'payload_too_large' },
    { name: 'bad Idempotency-Key', body: '{"topic":"x"}', headers: { 'idempotency-key': 'has space' }, status: 400, code: 'bad_request' },
  ];

  it.each(cases)('$name → $status $code', async (c) => {
    const before = await counts();
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    if (c.type !== '') headers['content-type'] = c.type ?? 'application/json';
    const res = await call(POST, { url: '/api/video/generate', method: 'POST', body: c.body, headers });
    expect(res.status).toBe(c.status);
    const body = await res.json();
    expect(body.error.code).toBe(c.code);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(await counts()).toEqual(before);
    expect(app.kicks).toEqual([]);
  });

  it('names the offending field in 422 issues', async () => {
    const res = await postJson(POST, '/api/video/generate', { topic: 'x', aspectRatio: '2:1', bogus: 1 });
    const body = await res.json();
    const paths = body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['aspectRatio', '(body)']));
  });
});

describe('Idempotency-Key', () => {
  it('20 concurrent requests with one key create one video and one task', async () => {
    const { cookie } = ownerCookie();
    const headers = { cookie, 'idempotency-key': 'order-42' };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postJson(POST, '/api/video/generate', { topic: 'Same' }, headers)),
    );
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await counts()).toMatchObject({ videos: 1, tasks: 1 });
    expect(app.kicks).toEqual([1]);
  });

  it('reusing a key with a different body is refused', async () => {
    const { cookie } = ownerCookie();
    const headers = { cookie, 'idempotency-key': 'k1' };
    expect((await postJson(POST, '/api/video/generate', { topic: 'One' }, headers)).status).toBe(202);
    const res = await postJson(POST, '/api/video/generate', { topic: 'Two' }, headers);
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('idempotency_key_reused');
    expect((await counts()).videos).toBe(1);
  });

  it("refuses a key holding '#', so a single request can never name a batch's video", async () => {
    const { cookie } = ownerCookie();
    const batch = await postJson(POST, '/api/video/generate', [{ topic: 'A' }, { topic: 'B' }], { cookie, 'idempotency-key': 'k' });
    expect(batch.status).toBe(202);
    const before = await counts();
    for (const key of ['k#00', 'k#01', '#']) {
      const res = await postJson(POST, '/api/video/generate', { topic: 'A' }, { cookie, 'idempotency-key': key });
      expect(res.status, key).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
    expect(await counts()).toEqual(before);
  });

  it("answers a replay of a deleted video's key with 409, not a 202 that points at a 404", async () => {
    const { cookie } = ownerCookie();
    const headers = { cookie, 'idempotency-key': 'gone-1' };
    const first = await postJson(POST, '/api/video/generate', { topic: 'Soon deleted' }, headers);
    const { id } = await first.json();
    await t.db.query('update videos set deleted_at = now() where id = $1::uuid', [id]);
    const before = await counts();
    const res = await postJson(POST, '/api/video/generate', { topic: 'Soon deleted' }, headers);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'idempotency_key_deleted', message: expect.stringMatching(/new key/) });
    expect(await counts()).toEqual(before);
  });

  it('the same key from two different callers makes two videos', async () => {
    const a = ownerCookie();
    const b = ownerCookie();
    const ra = await postJson(POST, '/api/video/generate', { topic: 'Shared' }, { cookie: a.cookie, 'idempotency-key': 'k' });
    const rb = await postJson(POST, '/api/video/generate', { topic: 'Shared' }, { cookie: b.cookie, 'idempotency-key': 'k' });
    expect((await ra.json()).id).not.toBe((await rb.json()).id);
    expect((await counts()).videos).toBe(2);
  });
});
