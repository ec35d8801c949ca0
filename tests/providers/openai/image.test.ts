import path from 'node:path';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { dimensionsFor, type AspectRatio } from '@/lib/media/dimensions';
import { ffprobe } from '../../helpers/ffprobe';
import { LeaseLostError } from '@/lib/queue/errors';
import { imageSizeFor } from '@/lib/providers/openai';
import { apiError, endpoints } from '../../helpers/openai-msw';
import { provider, sceneInput, signal, stepError, useOpenAIMock } from './kit';

const mock = useOpenAIMock();
const out = (name: string) => path.join(mock.dir, name);
const policyText = 'OpenAI declined to create the image for scene 2 because it may break its content policy. Try rewording the topic.';

describe('openai scene image', () => {
  it('maps every aspect ratio to the nearest gpt-image-1 size', () => {
    expect(imageSizeFor).toEqual({
      '16:9': '1536x1024', '21:9': '1536x1024', '4:3': '1536x1024', '9:16': '1024x1536', '3:4': '1024x1536', '1:1': '1024x1024',
    });
  });

  it.each<[AspectRatio, string, 'low' | 'medium' | 'high' | undefined, string]>([
    ['16:9', '1536x1024', undefined, 'medium'],
    ['9:16', '1024x1536', 'high', 'high'],
    ['21:9', '1536x1024', 'low', 'low'],
  ])('writes a %s PNG of exactly the frame size from a %s image', async (aspectRatio, size, imageQuality, quality) => {
    const { width, height } = dimensionsFor(aspectRatio, '720p');
    const file = out(`scene-${aspectRatio.replace(':', 'x')}.png`);
    const result = await provider({ imageQuality }).sceneImage(sceneInput({ aspectRatio, width, height }), file, { signal: signal() });
    const info = await ffprobe(file);
    expect(info.streams).toEqual([{ type: 'video', codec: 'png', width, height }]);
    expect(result.usage).toEqual([{ item: 'images', quantity: 1, model: `gpt-image-1:${size}:${quality}` }]);
    const { body } = mock.requests[0];
    expect(body).toMatchObject({ model: 'gpt-image-1', size, quality, n: 1 });
    // GPT image models reject response_format; they always answer in base64.
    expect(body).not.toHaveProperty('response_format');
    expect(body.prompt).toContain('A lighthouse on a rocky cliff at dusk');
  });

  it('treats a reply without image data, or with bytes that are not an image, as transient malformed', async () => {
    mock.server.use(http.post(endpoints.images, () => HttpResponse.json({ created: 1, data: [{ revised_prompt: 'x' }] })));
    const missing = await stepError(provider().sceneImage(sceneInput(), out('missing.png'), { signal: signal() }));
    expect(missing).toMatchObject({ code: 'provider_malformed', permanent: false });
    const garbage = Buffer.from('definitely not a png').toString('base64');
    mock.server.use(http.post(endpoints.images, () => HttpResponse.json({ created: 1, data: [{ b64_json: garbage }] })));
    const broken = await stepError(provider().sceneImage(sceneInput(), out('broken.png'), { signal: signal() }));
    expect(broken).toMatchObject({ code: 'provider_malformed', permanent: false });
  });

  it.each([
    ['code content_policy_violation', { code: 'content_policy_violation', message: 'Your request was rejected.' }],
    ['code moderation_blocked', { code: 'moderation_blocked', message: 'Your request was rejected.' }],
    ['only the message', { code: null, message: 'Your request was rejected as a result of our safety system.' }],
  ])('turns a content-policy refusal (%s) into a permanent content_refused in plain words', async (_label, error) => {
    mock.server.use(http.post(endpoints.images, () => apiError(400, error)));
    const err = await stepError(provider().sceneImage(sceneInput(), out('refused.png'), { signal: signal() }));
    expect(err).toMatchObject({ code: 'content_refused', permanent: true, message: policyText });
  });

  it('keeps other 400s as a permanent rejection carrying the API message', async () => {
    mock.server.use(http.post(endpoints.images, () => apiError(400, { message: "Invalid value: 'huge'.", code: 'invalid_value' })));
    const err = await stepError(provider().sceneImage(sceneInput(), out('bad.png'), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_rejected', permanent: true });
    expect(err.message).toContain("Invalid value: 'huge'.");
  });

  it('maps 429 with Retry-After to a transient rate limit with that wait', async () => {
    mock.server.use(http.post(endpoints.images, () => apiError(429, { message: 'Rate limit reached' }, { 'Retry-After': '7' })));
    const err = await stepError(provider().sceneImage(sceneInput(), out('limited.png'), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_rate_limited', permanent: false, retryAfterMs: 7000 });
  });

  it('rejects with the signal reason when the caller aborts mid-request', async () => {
    const controller = new AbortController();
    const reason = new LeaseLostError();
    mock.server.use(http.post(endpoints.images, async () => {
      controller.abort(reason);
      await delay('infinite');
      return HttpResponse.json({});
    }));
    await expect(provider().sceneImage(sceneInput(), out('aborted.png'), { signal: controller.signal })).rejects.toBe(reason);
  });
});
