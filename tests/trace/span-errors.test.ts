// A failed attempt shows in its trace: the provider call that threw and the step it failed are marked
// failed with the error, and the step span says what became of the task.
import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processOne } from '@/lib/pipeline/worker';
import { tracedContent } from '@/lib/providers/trace';
import { LocalStorage } from '@/lib/storage/local';
import { attr } from '@/lib/trace';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { deps, fakeContent, fakeMotion, seedVideos } from '../helpers/queue';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let t: TestDatabase;
let storageDir: string;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  t = await createTestDatabase();
  storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-span-errors-'));
});
afterAll(async () => {
  trace.disable();
  propagation.disable();
  context.disable();
  await provider.shutdown();
  await t?.drop();
  await fs.rm(storageDir, { recursive: true, force: true });
});

describe('a failed attempt', () => {
  it('marks the provider call and its step failed, with the error, and the step span records the retry', async () => {
    const content = tracedContent({
      ...fakeContent(),
      sceneImage: async () => {
        throw new Error('image service unavailable');
      },
    });
    const storage = new LocalStorage({ root: storageDir, secret: 'test-secret-0123456789abcdef' });
    const d = deps(t.db, storage, { providers: { content: () => content, motion: () => fakeMotion() } });
    const [videoId] = await seedVideos(t.db, 1, { ownerId: 'span-errors', sceneCount: 1 });
    expect((await processOne(d, { invocationId: 'span-errors:plan' }))?.outcome).toBe('completed');
    expect((await processOne(d, { invocationId: 'span-errors:render' }))?.outcome).toBe('retrying');

    const spans = exporter.getFinishedSpans();
    const step = spans.find((s) => s.name === 'step.render')!;
    const call = spans.find((s) => s.name === 'provider.image')!;
    expect(call.parentSpanContext?.spanId).toBe(step.spanContext().spanId);
    for (const s of [call, step]) {
      expect(s.status, s.name).toEqual({ code: SpanStatusCode.ERROR, message: 'image service unavailable' });
      expect(s.events.map((e) => [e.name, e.attributes?.['exception.message']]), s.name).toEqual([['exception', 'image service unavailable']]);
    }
    expect(step.attributes).toMatchObject({ [attr.videoId]: videoId, [attr.outcome]: 'retrying', [attr.attempt]: 1 });
    // The plan's step, which completed, is not marked.
    expect(spans.find((s) => s.name === 'step.plan')!.status.code).toBe(SpanStatusCode.UNSET);
  });
});
