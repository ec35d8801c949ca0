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

  it('asks for the narration in the requested language and the pictures in English', async () => {
    await provider().plan({ ...req(2), language: 'fr' }, { signal: signal() });
    const [system, user] = mock.requests[0].body.messages as { role: string; content: string }[];
    expect(system.content).toContain('Write every narration in the language the request names; write the visual prompts in English.');
    expect(user.content).toContain('Narration language: French (fr)');
    // English is named too, not assumed.
    await provider().plan(req(2), { signal: signal() });
    expect(JSON.stringify(mock.requests[1].body.messages)).toContain('Narration language: English (en)');
  });

  it('with a script, keeps every paragraph verbatim and asks the model only for one picture per paragraph', async () => {
    const script = ['Las abejas visitan miles de flores.', 'En la colmena, el néctar se convierte en miel.\nDespacio.', 'Fin.'];
    // The mocked model also sends narration of its own, as a confused or hostile reply might: it must not be spoken.
    const result = await provider().plan({ ...req(3), language: 'es', script }, { signal: signal() });
    expect(result.scenes.map((s) => s.narration)).toEqual(script);
    expect(result.scenes.map((s) => s.visualPrompt)).toEqual([1, 2, 3].map((i) => `A watercolour lighthouse at dusk, view ${i}`));
    // Lengths follow the paragraphs (about 14 characters a second, clamped to 2-20 s), not the model's guess.
    expect(result.scenes.map((s) => s.durationMs)).toEqual([2500, 4000, 2000]);

    const { body } = mock.requests[0];
    const format = body.response_format as { json_schema: { strict: boolean; schema: { properties: { scenes: { items: { properties: object; required: string[] } } } } } };
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.properties.scenes).toMatchObject({ minItems: 3, maxItems: 3 });
    // The reply schema has no narration for the model to write.
    expect(Object.keys(format.json_schema.schema.properties.scenes.items.properties)).toEqual(['visualPrompt']);
    const [system, user] = body.messages as { role: string; content: string }[];
    expect(system.content).toContain('The script is written and final.');
    expect(user.content).toContain('Language of the script: Spanish (es)');
    expect(user.content).toContain('Number of paragraphs: exactly 3');
    for (const p of script) expect(user.content).toContain(p);
  });

  it('with a script, refuses a reply with the wrong number of pictures like any malformed reply', async () => {
    reply(JSON.stringify({ scenes: [{ visualPrompt: 'A hive' }] }));
    const err = await stepError(provider().plan({ ...req(2), script: ['One.', 'Two.'] }, { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_malformed', permanent: false });
    expect(err.message).toContain('not the 2 scenes asked for');
  });
});
