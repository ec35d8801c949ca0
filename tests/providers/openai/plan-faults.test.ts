import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '@/lib/queue/errors';
import type { PlanRequest } from '@/lib/providers/types';
import { apiError, endpoints } from '../../helpers/openai-msw';
import { provider, signal, stepError, useOpenAIMock } from './kit';

const mock = useOpenAIMock();
const req = (sceneCount = 4): PlanRequest => ({
  topic: 'Lighthouses', description: null, sceneCount, aspectRatio: '16:9', resolution: '720p', language: 'en', script: null,
});

// HTTP-level faults and cancellation, shown on the plan call; image.test.ts and speech.test.ts spot-check the rest.
describe('openai plan faults', () => {
  it('maps 429 with Retry-After to a transient rate limit, and makes only one request (no SDK retries)', async () => {
    mock.server.use(http.post(endpoints.chat, () => apiError(429, { message: 'Slow down', type: 'requests' }, { 'retry-after': '7' })));
    let calls = 0;
    mock.server.events.on('request:start', () => void calls++);
    const err = await stepError(provider().plan(req(), { signal: signal() }));
    mock.server.events.removeAllListeners();
    expect(err).toMatchObject({ code: 'provider_rate_limited', permanent: false, retryAfterMs: 7000 });
    expect(calls).toBe(1);
  });

  it('maps 500 to a transient unavailable error', async () => {
    mock.server.use(http.post(endpoints.chat, () => apiError(500, { message: 'The server had an error', type: 'server_error' })));
    const err = await stepError(provider().plan(req(), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_unavailable', permanent: false, retryAfterMs: undefined });
  });

  it('maps a response slower than the client timeout to a transient timeout', async () => {
    mock.server.use(http.post(endpoints.chat, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    }));
    const started = Date.now();
    const err = await stepError(provider({ timeoutMs: 200 }).plan(req(), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_timeout', permanent: false });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('maps 401 to a permanent auth error and other 4xx to a permanent rejection with the API message', async () => {
    mock.server.use(http.post(endpoints.chat, () => apiError(401, { message: 'Incorrect API key provided', code: 'invalid_api_key' })));
    const auth = await stepError(provider().plan(req(), { signal: signal() }));
    expect(auth).toMatchObject({ code: 'provider_auth', permanent: true, message: "The server's OpenAI API key was rejected." });
    mock.server.use(http.post(endpoints.chat, () => apiError(404, { message: 'The model `gpt-9` does not exist', code: 'model_not_found' })));
    const rejected = await stepError(provider({ planModel: 'gpt-9' }).plan(req(), { signal: signal() }));
    expect(rejected).toMatchObject({ code: 'provider_rejected', permanent: true });
    expect(rejected.message).toContain('The model `gpt-9` does not exist');
  });

  it('rejects with the signal reason, not a StepError, when the caller aborts mid-request', async () => {
    const controller = new AbortController();
    const reason = new CancelledError();
    mock.server.use(http.post(endpoints.chat, async () => {
      controller.abort(reason);
      await delay('infinite');
      return HttpResponse.json({});
    }));
    await expect(provider().plan(req(), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('does not call OpenAI at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(provider().plan(req(), { signal: controller.signal })).rejects.toBe(reason);
    expect(mock.requests).toHaveLength(0);
  });
});
