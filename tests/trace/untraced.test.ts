// Tracing off: with no exporter nothing is registered and nothing is stored; TRACING=off skips the
// OpenTelemetry API even when a tracer provider is there. Either way the queue runs as before.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingSettings } from '@/lib/config';
import { processOne } from '@/lib/pipeline/worker';
import { setTracingEnabled } from '@/lib/trace';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stepHandlers } from '@/lib/pipeline';
import { LocalStorage } from '@/lib/storage/local';
import { deps, fakeCompose, seedVideos } from '../helpers/queue';

let t: TestDatabase;
let storageDir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-untraced-'));
});
afterAll(async () => {
  await t?.drop();
  await fs.rm(storageDir, { recursive: true, force: true });
});

async function stored(videoId: string): Promise<Array<string | null>> {
  const v = await t.db.query<{ traceparent: string | null }>('select traceparent from videos where id = $1::uuid', [videoId]);
  const tasks = await t.db.query<{ traceparent: string | null }>('select traceparent from tasks where video_id = $1::uuid order by id', [videoId]);
  return [v.rows[0]!.traceparent, ...tasks.rows.map((r) => r.traceparent)];
}

/** Runs every ready task: the real plan and render steps on fake providers, and a compose without ffmpeg. */
async function runAll(): Promise<number> {
  const storage = new LocalStorage({ root: storageDir, secret: 'test-secret-0123456789abcdef' });
  const handlers = { ...stepHandlers, compose: fakeCompose };
  let n = 0;
  while (await processOne(deps(t.db, storage, { handlers }), { invocationId: `untraced:${n}` })) n++;
  return n;
}

describe('tracingSettings', () => {
  it('registers the SDK only with an exporter configured or TRACING=on, and instruments unless TRACING=off', () => {
    expect(tracingSettings({})).toEqual({ register: false, instrument: true });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ register: true, instrument: true });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toEqual({ register: true, instrument: true });
    expect(tracingSettings({ VERCEL_OTEL_ENDPOINTS: '1' })).toEqual({ register: true, instrument: true });
    expect(tracingSettings({ TRACING: 'on' })).toEqual({ register: true, instrument: true });
    expect(tracingSettings({ TRACING: 'off', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ register: false, instrument: false });
    expect(tracingSettings({ TRACING: '' })).toEqual({ register: false, instrument: true });
    expect(() => tracingSettings({ TRACING: 'sometimes' })).toThrow(/TRACING must be on or off/);
  });
});

describe('untraced', () => {
  it('with no tracer provider registered, stores no traceparent and runs the queue as before', async () => {
    const [id] = await seedVideos(t.db, 1, { ownerId: 'untraced-a', sceneCount: 1 });
    expect(await runAll()).toBe(3); // plan, render, compose
    expect(await stored(id!)).toEqual([null, null, null, null]);
  });

  it('with TRACING=off, records no span and stores no traceparent even with a provider registered', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    try {
      // Registered and on: the same calls are traced (what makes the next assertions mean something).
      const [traced] = await seedVideos(t.db, 1, { ownerId: 'untraced-b', sceneCount: 1 });
      expect(await runAll()).toBe(3);
      expect((await stored(traced!)).every((p) => p?.startsWith('00-'))).toBe(true);
      expect(exporter.getFinishedSpans().length).toBeGreaterThan(0);

      exporter.reset();
      setTracingEnabled(false);
      const [id] = await seedVideos(t.db, 1, { ownerId: 'untraced-c', sceneCount: 1 });
      expect(await runAll()).toBe(3);
      expect(await stored(id!)).toEqual([null, null, null, null]);
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      setTracingEnabled(true);
      trace.disable();
      propagation.disable();
      context.disable();
      await provider.shutdown();
    }
  });
});
