// Retries, backoff, dead tasks and retrying only what failed.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { workerDeps } from '@/lib/app';
import { stepHandlers } from '@/lib/pipeline';
import { StepError } from '@/lib/steps/errors';
import type { StepHandler } from '@/lib/pipeline/context';
import { resumeSteps } from '@/lib/pipeline/resume';
import { processOne } from '@/lib/pipeline/worker';
import { LocalStorage } from '@/lib/storage/local';
import { retryVideo } from '@/lib/videos/control';
import { createTestApp } from '../helpers/app';
import { useQueueDatabase, type TestDatabase } from '../helpers/db';
import { deps, fakeCompose, fakeContent, fakeProviders, noopStep, seedVideos, testPolicies } from '../helpers/queue';

const storage = new LocalStorage({ root: path.join(os.tmpdir(), `cueframe-retry-${process.pid}`), secret: 'x'.repeat(32) });
const database = useQueueDatabase();
let t: TestDatabase;
let clock: number;
const now = () => new Date(clock);

beforeEach(() => {
  t = database();
  clock = Date.parse('2030-01-01T00:00:00Z');
});

const failing = (err: () => Error): StepHandler => async () => {
  throw err();
};

describe('retries', () => {
  it('retries a transient error with exponential backoff and jitter, then fails the video in plain words', async () => {
    const [videoId] = await seedVideos(t.db, 1);
    const backoff = { baseMs: 1_000, capMs: 60_000, jitter: 0.2 };
    const d = deps(t.db, storage, {
      now, backoff,
      policies: { plan: { maxAttempts: 5, estimateMs: 1 }, render: { maxAttempts: 5, estimateMs: 1 }, compose: { maxAttempts: 5, estimateMs: 1 }, webhook: { maxAttempts: 5, estimateMs: 1 } },
      handlers: { ...stepHandlers, plan: failing(() => new StepError('provider_unavailable', 'The script writer is not answering.')) },
    });
    await t.db.query('update tasks set max_attempts = 5');
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const p = await processOne(d, { invocationId: `w${attempt}` });
      expect(p).toMatchObject({ attempt, outcome: attempt < 5 ? 'retrying' : 'dead' });
      const task = (await t.db.query<{ run_at: Date; status: string }>('select run_at, status from tasks')).rows[0]!;
      if (attempt < 5) {
        gaps.push(task.run_at.getTime() - clock);
        // Nothing is claimable before run_at.
        clock = task.run_at.getTime() - 1;
        expect(await processOne(d, { invocationId: 'early' })).toBeNull();
        clock = task.run_at.getTime();
      }
    }
    gaps.forEach((gap, i) => {
      const expected = Math.min(backoff.capMs, backoff.baseMs * 2 ** i);
      expect(gap).toBeGreaterThanOrEqual(expected * (1 - backoff.jitter) - 1);
      expect(gap).toBeLessThanOrEqual(expected * (1 + backoff.jitter) + 1);
    });
    expect(await processOne(d, { invocationId: 'after-death' })).toBeNull();
    const v = await t.db.query('select status, error_code, error_message from videos where id = $1::uuid', [videoId]);
    expect(v.rows[0]).toEqual({ status: 'failed', error_code: 'provider_unavailable', error_message: 'The script writer is not answering.' });
    const events = await t.db.query<{ type: string }>("select type from task_events where type in ('retried', 'failed') order by id");
    expect(events.rows.map((e) => e.type)).toEqual(['retried', 'retried', 'retried', 'retried', 'failed']);
  });

  it('backs off as BACKOFF_BASE_MS and BACKOFF_CAP_MS configure it, when the worker is built from the app', async () => {
    // Far from the defaults (2 s base, 5 min cap), and a cap that the second retry reaches.
    const app = await createTestApp(t.db, {
      env: { BACKOFF_BASE_MS: '60000', BACKOFF_CAP_MS: '70000' },
      now,
      providers: fakeProviders({ content: { plan: async () => { throw new StepError('provider_unavailable', 'Not answering.'); } } }),
    });
    try {
      await seedVideos(t.db, 1); // three attempts: two retries before the task is dead
      const gaps: number[] = [];
      for (const attempt of [1, 2]) {
        expect(await processOne(workerDeps(app), { invocationId: `w${attempt}` })).toMatchObject({ attempt, outcome: 'retrying' });
        const runAt = (await t.db.query<{ run_at: Date }>('select run_at from tasks')).rows[0]!.run_at.getTime();
        gaps.push(runAt - clock);
        clock = runAt;
      }
      const jitter = 0.2; // defaultBackoff's: not configurable
      const expected = [60_000, 70_000]; // base, then min(cap, 2 × base)
      gaps.forEach((gap, i) => {
        expect(gap, `retry ${i + 1}`).toBeGreaterThanOrEqual(expected[i]! * (1 - jitter) - 1);
        expect(gap, `retry ${i + 1}`).toBeLessThanOrEqual(expected[i]! * (1 + jitter) + 1);
      });
    } finally {
      await app.cleanup();
    }
  });

  it('honours a provider\'s Retry-After: the retry is never sooner, even when backoff says so', async () => {
    await seedVideos(t.db, 1);
    const d = deps(t.db, storage, {
      now, backoff: { baseMs: 10, capMs: 10, jitter: 0 },
      handlers: { ...stepHandlers, plan: failing(() => new StepError('provider_rate_limited', 'Busy.', { retryAfterMs: 7_000 })) },
    });
    expect(await processOne(d, { invocationId: 'w' })).toMatchObject({ outcome: 'retrying' });
    const task = (await t.db.query<{ run_at: Date }>('select run_at from tasks')).rows[0]!;
    expect(task.run_at.getTime() - clock).toBe(7_000);
  });

  it('fails a permanent error at once', async () => {
    const [videoId] = await seedVideos(t.db, 1);
    const d = deps(t.db, storage, {
      now,
      handlers: { ...stepHandlers, plan: failing(() => new StepError('content_policy', 'The topic was refused by the content policy.', { permanent: true })) },
    });
    expect(await processOne(d, { invocationId: 'w' })).toMatchObject({ attempt: 1, outcome: 'dead' });
    const v = await t.db.query('select status, error_code from videos where id = $1::uuid', [videoId]);
    expect(v.rows[0]).toEqual({ status: 'failed', error_code: 'content_policy' });
  });

  it('a poison task goes dead after max attempts while the other videos complete', async () => {
    const ids = await seedVideos(t.db, 6, { sceneCount: 1 });
    const poison = ids[2]!;
    const plan: StepHandler = async (task, ctx) => {
      if (task.video_id === poison) throw new Error('segfault-like crash in a codec');
      return stepHandlers.plan(task, ctx);
    };
    const d = deps(t.db, storage, { now, handlers: { ...stepHandlers, plan, compose: noopStep }, backoff: { baseMs: 10, capMs: 10, jitter: 0 } });
    for (let i = 0; i < 100; i++) {
      if (!(await processOne(d, { invocationId: `w${i}` }))) {
        const next = await t.db.query<{ run_at: Date }>("select min(run_at) as run_at from tasks where status = 'ready'");
        if (!next.rows[0]!.run_at) break;
        clock = next.rows[0]!.run_at.getTime();
      }
    }
    const tasks = await t.db.query<{ video_id: string; kind: string; status: string; attempts: number }>(
      "select video_id, kind, status, attempts from tasks where kind = 'plan'",
    );
    for (const task of tasks.rows) {
      expect(task).toMatchObject(task.video_id === poison ? { status: 'dead', attempts: 3 } : { status: 'done', attempts: 1 });
    }
    const renders = await t.db.query<{ n: number }>("select count(*)::int as n from tasks where kind = 'render' and status = 'done'");
    expect(renders.rows[0]!.n).toBe(5);
  });
});

describe('retrying only what failed', () => {
  it('keeps rendered scenes, re-queues the failed one, and composes once', async () => {
    const [videoId] = await seedVideos(t.db, 1, { sceneCount: 3 });
    let failScene = true;
    const renderCalls: number[] = [];
    const imageCalls: number[] = [];
    const content = fakeContent();
    const d = deps(t.db, storage, {
      now,
      providers: fakeProviders({
        content: {
          async sceneImage(scene, outPath, opts) {
            imageCalls.push(scene.sceneIndex);
            return content.sceneImage(scene, outPath, opts);
          },
        },
        motion: {
          async animate(input) {
            renderCalls.push(input.scene.sceneIndex);
            if (input.scene.sceneIndex === 1 && failScene) throw new StepError('refused', 'Scene 2 was refused.', { permanent: true });
            await fs.writeFile(input.outPath, 'clip');
            return { status: 'done', durationMs: input.audioDurationMs, usage: [] };
          },
        },
      }),
      handlers: { ...stepHandlers, compose: fakeCompose },
    });
    while (await processOne(d, { invocationId: 'first' })) { /* drain */ }
    const failed = await t.db.query('select status, error_message from videos');
    expect(failed.rows[0]).toEqual({ status: 'failed', error_message: 'Scene 2 was refused.' });
    const scenes = await t.db.query<{ status: string }>('select status from scenes order by index');
    // Scene 1 failed; scene 0 rendered first; scene 2 was paused when the video failed, or rendered before.
    expect(scenes.rows[1]!.status).toBe('failed');
    expect(scenes.rows[0]!.status).toBe('rendered');

    failScene = false;
    const result = await retryVideo(t.db, 'owner-a', videoId!, now(), resumeSteps(testPolicies));
    expect(result.status).toBe('rendering');
    expect(result.requeued.map((r) => r.kind)).not.toContain('plan');
    expect(result.requeued).toContainEqual({ kind: 'render', sceneIndex: 1 });
    const before = renderCalls.length;
    while (await processOne(d, { invocationId: 'second' })) { /* drain */ }
    expect(renderCalls.slice(before)).not.toContain(0);
    expect(renderCalls.filter((i) => i === 0)).toHaveLength(1);
    // Scene 2's image was paid for once; the retry reused it from storage.
    expect(imageCalls.filter((i) => i === 1)).toHaveLength(1);
    const done = await t.db.query('select status from videos');
    expect(done.rows[0]).toEqual({ status: 'completed' });
    const compose = await t.db.query<{ n: number }>("select count(*)::int as n from task_events e join tasks t on t.id = e.task_id where t.kind = 'compose' and e.type = 'completed'");
    expect(compose.rows[0]!.n).toBe(1);
  });
});

afterAll(async () => {
  await fs.rm(storage.root, { recursive: true, force: true });
});
