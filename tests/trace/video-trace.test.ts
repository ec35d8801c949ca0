// One trace per video: a request through the generate route, then the queue run to completion invocation by
// invocation with the real local provider and ffmpeg, all recorded by an in-memory exporter. The accept span
// is the root; its traceparent is stored with the video and its tasks, each claim and step span is its
// child although it runs in another invocation, and provider and ffmpeg spans sit under their step.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as APPROVE } from '@/app/api/video/[id]/approve/route';
import { POST as CANCEL } from '@/app/api/video/[id]/cancel/route';
import { POST as RETRY } from '@/app/api/video/[id]/retry/route';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { workerDeps } from '@/lib/app';
import { runInvocation } from '@/lib/pipeline/worker';
import { httpKicker } from '@/lib/queue/kick';
import { attr } from '@/lib/trace';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { call, ownerCookie, postJson } from '../helpers/http';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();
/** The traceparent header of each HTTP kick, as the process-queue route would receive it. */
const kickHeaders: Array<string | null> = [];

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  t = await createTestDatabase();
  app = await createTestApp(t.db);
  app.kicker = httpKicker({
    baseUrl: 'http://cueframe.test',
    fetch: async (_url, init) => {
      kickHeaders.push(new Headers(init?.headers).get('traceparent'));
      return new Response(null, { status: 202 });
    },
  });
});
afterAll(async () => {
  trace.disable();
  propagation.disable();
  context.disable();
  await provider.shutdown();
  await app?.cleanup();
  await t?.drop();
});

/** Runs invocations one after another, as kicks would, until the video is done. */
async function drain(videoId: string): Promise<void> {
  const deps = workerDeps(app);
  for (let i = 0; i < 50; i++) {
    const v = await t.db.query<{ status: string }>('select status from videos where id = $1::uuid', [videoId]);
    if (['completed', 'failed', 'cancelled'].includes(v.rows[0]!.status)) return;
    await runInvocation(deps, 'manual');
  }
  throw new Error('the video did not finish in 50 invocations');
}

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const ns = ([seconds, nanos]: readonly [number, number]) => seconds * 1e9 + nanos;

describe('one trace per video', () => {
  it('accept is the root; claim and step spans are children of the stored context; provider and ffmpeg spans sit under their step', async () => {
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Lighthouses', sceneCount: 2 }, { cookie: owner.cookie });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await expect.poll(() => kickHeaders.length).toBe(1);
    await drain(id);

    const spans = exporter.getFinishedSpans();
    const named = (n: string) => spans.filter((s) => s.name === n);
    const [accept, ...moreAccepts] = named('video.accept');
    expect(moreAccepts).toEqual([]);
    expect(accept).toBeDefined();
    expect(parentOf(accept!)).toBeUndefined();
    expect(accept!.attributes).toMatchObject({ [attr.videoId]: id, [attr.videoIds]: [id], [attr.outcome]: 'created' });
    const { traceId, spanId } = accept!.spanContext();
    // Every span of the run is in the accept's trace, though they ran in a dozen invocations.
    expect(spans.filter((s) => s.spanContext().traceId !== traceId).map((s) => s.name)).toEqual([]);

    // The accept's context, as stored with the video and each of its tasks, and sent with every kick: the
    // generate route's, and those of the invocations that found more of the video's work ready.
    const traceparent = `00-${traceId}-${spanId}-01`;
    expect(kickHeaders.length).toBeGreaterThan(1);
    expect(kickHeaders).toEqual(kickHeaders.map(() => traceparent));
    const video = await t.db.query<{ traceparent: string }>('select traceparent from videos where id = $1::uuid', [id]);
    expect(video.rows[0]!.traceparent).toBe(traceparent);
    const tasks = (await t.db.query<{ id: string; kind: string; scene_index: number | null; traceparent: string }>(
      'select id::text as id, kind, scene_index, traceparent from tasks where video_id = $1::uuid order by id', [id])).rows;
    expect(tasks.map((x) => x.kind)).toEqual(['plan', 'render', 'render', 'compose']);
    expect(tasks.map((x) => x.traceparent)).toEqual(tasks.map(() => traceparent));

    // One claim and one step span per task, each a child of the stored context.
    const claims = named('queue.claim');
    const steps = spans.filter((s) => s.name.startsWith('step.'));
    for (const [list, name] of [[claims, 'queue.claim'], [steps, 'step']] as const) {
      expect(list.map((s) => s.attributes[attr.taskId]).sort(), name).toEqual(tasks.map((x) => x.id).sort());
      expect(list.map(parentOf), name).toEqual(list.map(() => spanId));
    }
    for (const task of tasks) {
      const step = steps.find((s) => s.attributes[attr.taskId] === task.id)!;
      expect(step.name).toBe(`step.${task.kind}`);
      expect(step.attributes).toMatchObject({
        [attr.videoId]: id, [attr.step]: task.kind, [attr.attempt]: 1, [attr.outcome]: 'completed',
        ...(task.scene_index === null ? {} : { [attr.scene]: task.scene_index }),
      });
      const claim = claims.find((s) => s.attributes[attr.taskId] === task.id)!;
      expect(claim.attributes).toMatchObject({ [attr.videoId]: id, [attr.step]: task.kind, [attr.attempt]: 1 });
      // A task is claimed before its step runs.
      expect(ns(claim.endTime)).toBeLessThanOrEqual(ns(step.startTime));
    }

    // Provider calls: children of the step that made them.
    const stepById = new Map(steps.map((s) => [s.spanContext().spanId, s]));
    const providerCalls = spans.filter((s) => s.name.startsWith('provider.'));
    expect(providerCalls.map((s) => s.name).sort()).toEqual([
      'provider.image', 'provider.image', 'provider.motion', 'provider.motion', 'provider.script', 'provider.speech', 'provider.speech',
    ]);
    for (const call of providerCalls) {
      const step = stepById.get(parentOf(call)!);
      expect(step?.name, call.name).toBe(call.name === 'provider.script' ? 'step.plan' : 'step.render');
      expect(call.attributes[attr.provider]).toBe(call.name === 'provider.motion' ? 'kenburns' : 'local');
      if (call.name !== 'provider.script') {
        expect(call.attributes).toMatchObject({ [attr.videoId]: id, [attr.scene]: step!.attributes[attr.scene] });
      }
    }

    // ffmpeg runs: under their step, directly or through the provider call that ran them.
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const runs = spans.filter((s) => s.name.startsWith('ffmpeg.'));
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.attributes[attr.ffmpegOp]).toBe(run.name.slice('ffmpeg.'.length));
      const parent = byId.get(parentOf(run)!);
      const step = parent && (stepById.get(parent.spanContext().spanId) ?? stepById.get(parentOf(parent)!));
      expect(parent?.name.startsWith('step.') || parent?.name.startsWith('provider.'), run.name).toBe(true);
      expect(step?.name.startsWith('step.'), run.name).toBe(true);
    }
    expect(runs.filter((r) => stepById.get(parentOf(r)!)?.name === 'step.compose').map((r) => r.name)).toContain('ffmpeg.compose');
    expect(runs.some((r) => byId.get(parentOf(r)!)?.name === 'provider.motion')).toBe(true);
  });

  it('an approval and a retry kick with the video\'s own trace, not a new one', async () => {
    const start = kickHeaders.length;
    const res = await postJson(GENERATE, '/api/video/generate', { topic: 'Tide pools', sceneCount: 1, review: true }, { cookie: owner.cookie });
    const { id } = (await res.json()) as { id: string };
    const stored = async () => (await t.db.query<{ traceparent: string; status: string }>(
      'select traceparent, status from videos where id = $1::uuid', [id])).rows[0]!;
    await expect.poll(() => kickHeaders.length).toBe(start + 1);
    // Planning runs, then the video waits for its owner's review.
    await runInvocation(workerDeps(app), 'manual');
    const { traceparent, status } = await stored();
    expect(status).toBe('awaiting_review');
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const post = (fn: typeof APPROVE, action: string) =>
      call(fn, { url: `/api/video/${id}/${action}`, method: 'POST', headers: { cookie: owner.cookie }, params: { id } });

    // Every kick from here on is this video's (nothing else is queued).
    const before = kickHeaders.length;
    expect((await post(APPROVE, 'approve')).status).toBe(202);
    await expect.poll(() => kickHeaders.length).toBeGreaterThan(before);
    const afterApprove = kickHeaders.length;
    expect((await post(CANCEL, 'cancel')).status).toBe(200);
    const retried = await post(RETRY, 'retry');
    expect(retried.status).toBe(202);
    expect(Object.keys((await retried.json()) as object)).not.toContain('traceparent');
    await expect.poll(() => kickHeaders.length).toBeGreaterThan(afterApprove);
    expect(kickHeaders.slice(before)).toEqual(kickHeaders.slice(before).map(() => traceparent));
  });
});
