// The transport on its own: every way a Runway call can go wrong arrives as the right StepError,
// and the caller's own abort arrives untouched.
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { createRunwayClient, type RunwayRatio } from '@/lib/providers/runway';
import { parseRetryAfter } from '@/lib/providers/runway/http-errors';
import { createFakeRunway, RUNWAY_BASE, RUNWAY_KEY } from './fake-runway';
import { deferred, useMswServer } from './kit';

// Made before msw starts (its beforeAll has not run yet), as the app makes its client at start-up.
const earlyClient = createRunwayClient({ apiKey: RUNWAY_KEY });
const server = useMswServer();
const signal = () => new AbortController().signal;
const request = { model: 'gen4_turbo', promptImage: 'data:image/png;base64,AAAA', promptText: 'waves', ratio: '960:960', duration: 5 } as const;

async function rejection(p: Promise<unknown>): Promise<StepError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

function replyToGet(resolver: Parameters<typeof http.get>[1]) {
  server.use(http.get(`${RUNWAY_BASE}/v1/tasks/:id`, resolver));
}

describe('Runway client', () => {
  it('creates, reads and cancels a task with the version and key headers', async () => {
    const fake = createFakeRunway({ script: ['RUNNING'] });
    server.use(...fake.handlers);
    const client = createRunwayClient({ apiKey: RUNWAY_KEY, baseUrl: `${RUNWAY_BASE}/` });
    const { id } = await client.createImageToVideo(request, signal());
    expect(await client.getTask(id, signal())).toEqual({ id, status: 'RUNNING', progress: 0.4 });
    await client.cancelTask(id, signal());
    expect(fake.tasks[0].cancelled).toBe(true);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/image_to_video', `GET /v1/tasks/${id}`, `DELETE /v1/tasks/${id}`]);
  });

  it("turns other 4xx replies into a permanent error carrying Runway's message", async () => {
    server.use(...createFakeRunway().handlers);
    const client = createRunwayClient({ apiKey: RUNWAY_KEY });
    const err = await rejection(client.createImageToVideo({ ...request, ratio: '1920:1080' as RunwayRatio }, signal()));
    expect(err).toMatchObject({ code: 'provider_rejected', permanent: true });
    expect(err.message).toMatch(/^Runway refused the request: Validation of body failed; ratio: /);
  });

  it.each([
    ['not JSON', () => new HttpResponse('<html>Bad gateway</html>', { status: 200 })],
    ['an unknown status', () => HttpResponse.json({ id: 'task-1', status: 'DONE' })],
    ['no id', () => HttpResponse.json({ status: 'RUNNING' })],
  ])('reports a reply with %s as malformed and retryable', async (_what, resolver) => {
    replyToGet(resolver);
    const err = await rejection(createRunwayClient({ apiKey: RUNWAY_KEY }).getTask('task-1', signal()));
    expect(err).toMatchObject({ code: 'provider_malformed', permanent: false });
  });

  it('reports 5xx, network failures and slow replies as retryable', async () => {
    const client = createRunwayClient({ apiKey: RUNWAY_KEY, timeoutMs: 50 });
    replyToGet(() => HttpResponse.json({ error: 'down' }, { status: 503, headers: { 'Retry-After': '30' } }));
    expect(await rejection(client.getTask('t', signal()))).toMatchObject({ code: 'provider_unavailable', permanent: false, retryAfterMs: 30_000 });
    replyToGet(() => HttpResponse.error());
    expect(await rejection(client.getTask('t', signal()))).toMatchObject({ code: 'provider_unavailable', permanent: false });
    replyToGet(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    expect(await rejection(client.getTask('t', signal()))).toMatchObject({ code: 'provider_timeout', permanent: false });
  });

  it('reads Retry-After as seconds or as an HTTP date', async () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    server.use(http.post(`${RUNWAY_BASE}/v1/image_to_video`, () =>
      HttpResponse.json({ error: 'slow down' }, { status: 429, headers: { 'Retry-After': 'Sat, 01 Mar 2025 12:01:30 GMT' } })));
    const err = await rejection(createRunwayClient({ apiKey: RUNWAY_KEY, now: () => now }).createImageToVideo(request, signal()));
    expect(err).toMatchObject({ code: 'provider_rate_limited', permanent: false, retryAfterMs: 90_000 });
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  // The SDK would retry these twice on its own; our step's checkpoint logic must see the first failure.
  it.each([
    ['503', () => HttpResponse.json({ error: 'down' }, { status: 503 }), 'provider_unavailable'],
    ['429', () => HttpResponse.json({ error: 'slow down' }, { status: 429 }), 'provider_rate_limited'],
    ['a network failure', () => HttpResponse.error(), 'provider_unavailable'],
  ])('makes exactly one request when Runway answers %s (SDK retries are off)', async (_what, resolver, code) => {
    let calls = 0;
    server.use(http.post(`${RUNWAY_BASE}/v1/image_to_video`, () => {
      calls += 1;
      return resolver();
    }));
    expect(await rejection(createRunwayClient({ apiKey: RUNWAY_KEY }).createImageToVideo(request, signal()))).toMatchObject({ code });
    expect(calls).toBe(1);
  });

  it('times out a reply whose body stalls after the headers', async () => {
    replyToGet(() => new HttpResponse(new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":"t",'));
        // ...and never closes.
      },
    }), { headers: { 'Content-Type': 'application/json' } }));
    const err = await rejection(createRunwayClient({ apiKey: RUNWAY_KEY, timeoutMs: 100 }).getTask('t', signal()));
    expect(err).toMatchObject({ code: 'provider_timeout', permanent: false });
  });

  it("keeps Runway's message from an error body that is not JSON", async () => {
    server.use(http.post(`${RUNWAY_BASE}/v1/image_to_video`, () => new HttpResponse('bad image', { status: 400 })));
    const err = await rejection(createRunwayClient({ apiKey: RUNWAY_KEY }).createImageToVideo(request, signal()));
    expect(err).toMatchObject({ code: 'provider_rejected', permanent: true, message: 'Runway refused the request: bad image' });
  });

  it('says so when a reply is not JSON at all', async () => {
    replyToGet(() => new HttpResponse('<html>Bad gateway</html>', { status: 200 }));
    const err = await rejection(createRunwayClient({ apiKey: RUNWAY_KEY }).getTask('t', signal()));
    expect(err.message).toBe('Runway sent a reply to a job status check that is not JSON.');
  });

  it('reports a JSON content type with a broken body as malformed', async () => {
    replyToGet(() => new HttpResponse('{"id":', { headers: { 'Content-Type': 'application/json' } }));
    expect(await rejection(createRunwayClient({ apiKey: RUNWAY_KEY }).getTask('t', signal()))).toMatchObject({ code: 'provider_malformed' });
  });

  it('is intercepted by msw even when made before msw replaced fetch', async () => {
    const fake = createFakeRunway({ script: ['PENDING'] });
    server.use(...fake.handlers);
    const { id } = await earlyClient.createImageToVideo(request, signal());
    expect(fake.tasks.map((t) => t.id)).toEqual([id]);
  });

  it("goes to the configured base URL, never the SDK's RUNWAYML_BASE_URL", async () => {
    const fake = createFakeRunway({ script: ['PENDING'] });
    server.use(...fake.handlers);
    const before = process.env.RUNWAYML_BASE_URL;
    process.env.RUNWAYML_BASE_URL = 'https://elsewhere.invalid';
    try {
      expect(await createRunwayClient({ apiKey: RUNWAY_KEY }).getTask('task-1', signal()).catch((e: StepError) => e.code)).toBe('provider_rejected');
      expect(fake.requests.map((r) => r.path)).toEqual(['/v1/tasks/task-1']);
    } finally {
      if (before === undefined) delete process.env.RUNWAYML_BASE_URL;
      else process.env.RUNWAYML_BASE_URL = before;
    }
  });

  it("rethrows the caller's abort reason, whether it comes mid-request or before", async () => {
    const reached = deferred();
    replyToGet(async () => {
      reached.resolve();
      await delay('infinite');
      return HttpResponse.json({});
    });
    const client = createRunwayClient({ apiKey: RUNWAY_KEY });
    const controller = new AbortController();
    const reason = new Error('video cancelled');
    const pending = client.getTask('t', controller.signal);
    await reached.promise;
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(client.cancelTask('t', controller.signal)).rejects.toBe(reason);
  });
});
