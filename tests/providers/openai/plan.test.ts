import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { PlanRequest } from '@/lib/providers/types';
import { chatCompletion, endpoints, fakePlan } from '../../helpers/openai-msw';
import { provider, signal, stepError, useOpenAIMock } from './kit';

const mock = useOpenAIMock();
const req = (sceneCount = 4): PlanRequest => ({
  topic: 'Lighthouses', description: 'How they work. Who kept them.', sceneCount, aspectRatio: '16:9', resolution: '720p',
  language: 'en', script: null,
});
const reply = (content: string | null, opts?: Parameters<typeof chatCompletion>[1]) =>
  mock.server.use(http.post(endpoints.chat, () => HttpResponse.json(chatCompletion(content, opts))));

describe('openai plan', () => {
  it('asks for exactly sceneCount scenes with a strict schema and records token usage', async () => {
    const result = await provider().plan(req(4), { signal: signal() });
    expect(result.scenes).toHaveLength(4);
    expect(result.scenes[0]).toEqual({
      narration: 'Scene 1 narration. It is short.', visualPrompt: 'A watercolour lighthouse at dusk, view 1', durationMs: 4000,
    });
    expect(result.usage).toEqual([
      { item: 'llm_input_tokens', quantity: 321, model: 'gpt-4o-mini' },
      { item: 'llm_output_tokens', quantity: 123, model: 'gpt-4o-mini' },
    ]);
    const { body } = mock.requests[0];
    expect(body.model).toBe('gpt-4o-mini');
    const format = body.response_format as { json_schema: { strict: boolean; schema: { properties: { scenes: object } } } };
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.properties.scenes).toMatchObject({ minItems: 4, maxItems: 4 });
    expect(JSON.stringify(body.messages)).toContain('Lighthouses');
  });

  it('uses the configured model for the request and the ledger, and clamps silly target lengths', async () => {
    const plan = fakePlan(2);
    plan.scenes[0].targetSeconds = 600;
    reply(JSON.stringify(plan));
    const result = await provider({ planModel: 'gpt-4.1-mini' }).plan(req(2), { signal: signal() });
    expect(result.usage.map((u) => u.model)).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini']);
    expect(result.scenes[0].durationMs).toBe(20_000);
  });

  it('treats the wrong number of scenes as a transient malformed reply', async () => {
    reply(JSON.stringify(fakePlan(3)));
    const err = await stepError(provider().plan(req(4), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_malformed', permanent: false });
  });

  it.each([
    ['content that is not JSON', 'Sure! Here is your plan:'],
    ['an empty narration', JSON.stringify({ scenes: [{ narration: ' ', visualPrompt: 'x', targetSeconds: 3 }] })],
    ['a missing field', JSON.stringify({ scenes: [{ narration: 'Hi.', targetSeconds: 3 }] })],
  ])('treats %s as a transient malformed reply', async (_label, content) => {
    reply(content);
    const err = await stepError(provider().plan(req(1), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_malformed', permanent: false });
  });

  it('treats a response body that is not JSON as transient malformed', async () => {
    mock.server.use(http.post(endpoints.chat, () => new HttpResponse('{"id": "chatcmpl', { headers: { 'content-type': 'application/json' } })));
    const err = await stepError(provider().plan(req(), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_malformed', permanent: false });
  });

  it('treats a cut-off reply as transient malformed and a refusal as permanent', async () => {
    reply('{"scenes": [', { finishReason: 'length' });
    expect(await stepError(provider().plan(req(), { signal: signal() }))).toMatchObject({ code: 'provider_malformed', permanent: false });
    reply(null, { refusal: "I can't help with that." });
    const err = await stepError(provider().plan(req(), { signal: signal() }));
    expect(err).toMatchObject({ code: 'content_refused', permanent: true });
    expect(err.message).toBe('OpenAI declined to create the script because it may break its content policy. Try rewording the topic.');
  });

});
