// The production build with an exporter configured: instrumentation.ts registers @vercel/otel, and a video
// made by a real `next start` (its scheduler running the steps) reaches an OTLP collector as one trace,
// which starts at Next.js's span for the generate request.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ensureBuild, killAllServers, startServer, waitFor } from '../helpers/server';
import { generate, status } from './kit';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

let t: TestDatabase;
let dataDir: string;
let collector: http.Server;
let endpoint: string;
const received: OtlpSpan[] = [];

beforeAll(async () => {
  await ensureBuild();
  t = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-otlp-'));
  // An OTLP/HTTP collector that understands the JSON encoding and keeps every span it is sent.
  collector = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }> };
        for (const rs of parsed.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) received.push(...(ss.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
  await killAllServers();
  await new Promise((r) => collector?.close(r));
  await t?.drop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  it('exports a video as one trace: the generate request, its accept, and each claim, step, provider call and ffmpeg run', async () => {
    const server = await startServer({
      databaseUrl: t.url!, dataDir,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    const { id, cookie } = await generate(server.baseUrl, { topic: 'Tide pools', sceneCount: 1 });
    await waitFor(async () => (await status(server.baseUrl, id, cookie)).body.status === 'completed', {
      timeoutMs: 120_000, message: 'the video to complete',
    });
    await waitFor(() => received.some((s) => s.name === 'step.compose'), { timeoutMs: 15_000, message: 'the compose step span to be exported' });

    const accept = received.find((s) => s.name === 'video.accept');
    expect(accept).toBeDefined();
    const stored = await t.db.query<{ traceparent: string }>('select traceparent from tasks where video_id = $1::uuid', [id]);
    expect(new Set(stored.rows.map((r) => r.traceparent))).toEqual(new Set([`00-${accept!.traceId}-${accept!.spanId}-01`]));
    // Next.js's span for the request is the accept's parent, in the same trace.
    const request = received.find((s) => s.spanId === accept!.parentSpanId);
    expect(request?.traceId).toBe(accept!.traceId);
    const ours = received.filter((s) => /^(video|queue|step|provider|ffmpeg)\./.test(s.name));
    expect(ours.filter((s) => s.traceId !== accept!.traceId).map((s) => s.name)).toEqual([]);
    for (const name of ['queue.claim', 'step.plan', 'step.render', 'step.compose', 'provider.script', 'provider.image',
      'provider.speech', 'provider.motion', 'ffmpeg.compose']) {
      expect(ours.map((s) => s.name), name).toContain(name);
    }
  });
});
