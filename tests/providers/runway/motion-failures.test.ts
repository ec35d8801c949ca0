// What the queue is told when a Runway job goes wrong, and what the checkpoint holds afterwards:
// a job that can still deliver is kept (never paid for twice), a dead one is forgotten so the
// retry starts afresh.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { RUNWAY_BASE, type FakeRunwayOptions } from './fake-runway';
import { MAX_WAIT_MS, runwayHarness } from './harness';
import { deferred, memoryCheckpoint, sceneInput, useMswServer, useTempDir } from './kit';

const server = useMswServer();
const tempDir = useTempDir();
const signal = () => new AbortController().signal;

async function rejection(p: Promise<unknown>): Promise<StepError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

/** A provider whose job has been created and checkpointed. */
async function started(fakeOpts: FakeRunwayOptions = {}) {
  const h = runwayHarness(server, fakeOpts);
  const motion = h.make();
  const input = await sceneInput(await tempDir());
  const checkpoint = memoryCheckpoint();
  await motion.animate(input, { signal: signal(), checkpoint });
  const again = () => motion.animate(input, { signal: signal(), checkpoint });
  return { ...h, motion, input, checkpoint, again };
}

describe('Runway motion failures', () => {
  it('429 on create: retried no sooner than Retry-After, nothing checkpointed', async () => {
    const h = runwayHarness(server);
    server.use(http.post(`${RUNWAY_BASE}/v1/image_to_video`, () => HttpResponse.json({ error: 'Too many requests' }, { status: 429, headers: { 'Retry-After': '7' } }), { once: true }));
    const checkpoint = memoryCheckpoint();
    const err = await rejection(h.make().animate(await sceneInput(await tempDir()), { signal: signal(), checkpoint }));
    expect(err).toMatchObject({ code: 'provider_rate_limited', permanent: false, retryAfterMs: 7000 });
    expect(checkpoint.saves).toEqual([]);
    expect(h.fake.tasks).toHaveLength(0);
  });

  it('500 while polling: transient, and the retry polls the same job instead of creating one', async () => {
    const h = await started();
    server.use(http.get(`${RUNWAY_BASE}/v1/tasks/:id`, () => HttpResponse.json({ error: 'boom' }, { status: 500 }), { once: true }));
    expect(await rejection(h.again())).toMatchObject({ code: 'provider_unavailable', permanent: false });
    expect(await h.again()).toMatchObject({ status: 'pending' });
    expect(h.fake.count('POST')).toBe(1);
    expect(h.fake.tasks[0].polls).toBe(1);
  });

  it('a rejected API key fails the video at once', async () => {
    const h = runwayHarness(server, {}, { apiKey: 'key_revoked' });
    const err = await rejection(h.make().animate(await sceneInput(await tempDir()), { signal: signal(), checkpoint: memoryCheckpoint() }));
    expect(err).toMatchObject({ code: 'provider_auth', permanent: true, message: "The server's Runway API key was rejected." });
  });

  it('a safety refusal is permanent and names the scene and the reason', async () => {
    const h = await started({ script: ['FAILED'], failure: 'The input image was flagged by content moderation.', failureCode: 'SAFETY.INPUT.IMAGE' });
    const err = await rejection(h.again());
    expect(err).toMatchObject({ code: 'content_refused', permanent: true });
    expect(err.message).toBe('Runway declined to animate scene 3: The input image was flagged by content moderation.');
  });

  it('any other failure is transient and the retry creates a fresh job', async () => {
    const h = await started({ script: ['FAILED'], failure: 'An unexpected error occurred.', failureCode: 'INTERNAL.BAD_OUTPUT.CODE01' });
    const err = await rejection(h.again());
    expect(err).toMatchObject({ code: 'provider_failed', permanent: false });
    expect(err.message).toContain('An unexpected error occurred.');
    expect(h.checkpoint.data).toEqual({});
    expect(await h.again()).toMatchObject({ status: 'pending' });
    expect(h.fake.tasks).toHaveLength(2);
    expect(h.checkpoint.data).toMatchObject({ taskId: h.fake.tasks[1].id });
  });

  it('a job cancelled on Runway is transient and forgotten', async () => {
    const h = await started({ script: ['CANCELLED'] });
    expect(await rejection(h.again())).toMatchObject({ code: 'provider_cancelled', permanent: false });
    expect(h.checkpoint.data).toEqual({});
  });

  it('a job Runway no longer knows is transient and forgotten', async () => {
    const h = await started();
    h.fake.tasks.splice(0);
    expect(await rejection(h.again())).toMatchObject({ code: 'provider_failed', permanent: false });
    expect(h.checkpoint.data).toEqual({});
  });

  it('a job running past maxWaitMs is cancelled on Runway, forgotten, and reported as a timeout', async () => {
    const h = await started({ script: ['RUNNING'] });
    h.advance(MAX_WAIT_MS + 1);
    const err = await rejection(h.again());
    expect(err).toMatchObject({ code: 'provider_timeout', permanent: false });
    expect(h.fake.count('DELETE', `/v1/tasks/${h.fake.tasks[0].id}`)).toBe(1);
    expect(h.fake.tasks[0].cancelled).toBe(true);
    expect(h.checkpoint.data).toEqual({});
  });

  it('gives up on an overdue job even when Runway will not cancel it', async () => {
    const h = await started({ script: ['RUNNING'] });
    server.use(http.delete(`${RUNWAY_BASE}/v1/tasks/:id`, () => HttpResponse.json({ error: 'boom' }, { status: 502 })));
    h.advance(MAX_WAIT_MS + 1);
    expect(await rejection(h.again())).toMatchObject({ code: 'provider_timeout' });
    expect(h.checkpoint.data).toEqual({});
  });

  it('aborting while the job is being created rejects with the abort reason and saves nothing', async () => {
    const h = runwayHarness(server);
    const controller = new AbortController();
    const reason = new Error('lease lost');
    const reached = deferred();
    server.use(http.post(`${RUNWAY_BASE}/v1/image_to_video`, async () => {
      reached.resolve();
      return new Promise<never>(() => {});
    }));
    const checkpoint = memoryCheckpoint();
    const run = h.make().animate(await sceneInput(await tempDir()), { signal: controller.signal, checkpoint });
    await reached.promise;
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(checkpoint.saves).toEqual([]);
  });
});
