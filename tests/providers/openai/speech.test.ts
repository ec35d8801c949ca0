import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { probe } from '@/lib/media/probe';
import { CancelledError } from '@/lib/queue/errors';
import { apiError, endpoints, FIXTURE_AUDIO_MS } from '../../helpers/openai-msw';
import { provider, sceneInput, signal, stepError, useOpenAIMock } from './kit';

const mock = useOpenAIMock();
const out = (name: string) => path.join(mock.dir, name);

describe('openai narration', () => {
  it('writes AAC in an .m4a and measures its real duration', async () => {
    const scene = sceneInput({ voice: 'nova' });
    const file = out('narration.m4a');
    const result = await provider().narration(scene, file, { signal: signal() });
    // The fixture is 1 s of sound and 2 s of silence: a bitrate guess on the bare ADTS stream says ~1.5 s.
    expect(Math.abs(result.durationMs - FIXTURE_AUDIO_MS)).toBeLessThan(100);
    const info = await probe(file);
    expect(info.streams).toEqual([{ type: 'audio', codec: 'aac' }]);
    expect(info.durationMs).toBe(result.durationMs);
    expect((await readFile(file)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(result.usage).toEqual([{ item: 'tts_characters', quantity: scene.narration.length, model: 'gpt-4o-mini-tts' }]);
    expect(mock.requests[0].body).toEqual({
      model: 'gpt-4o-mini-tts', voice: 'nova', input: scene.narration, response_format: 'aac',
      instructions: 'Speak in English, with that language\'s natural pronunciation.',
    });
  });

  it('speaks the narration as written and names its language to the model', async () => {
    const narration = 'Las abejas fabrican la miel con el néctar de las flores.';
    await provider().narration(sceneInput({ narration, language: 'es', voice: 'coral' }), out('es.m4a'), { signal: signal() });
    expect(mock.requests[0].body).toMatchObject({ input: narration, voice: 'coral' });
    expect(mock.requests[0].body.instructions).toMatch(/^Speak in Spanish,/);
  });

  it('uses the configured speech model, sending tts-1 models no instructions (they take none)', async () => {
    const scene = sceneInput({ language: 'de', narration: 'Die Bienen tanzen.' });
    const result = await provider({ ttsModel: 'tts-1-hd' }).narration(scene, out('hd.m4a'), { signal: signal() });
    expect(result.usage[0].model).toBe('tts-1-hd');
    expect(mock.requests[0].body).toEqual({ model: 'tts-1-hd', voice: 'coral', input: 'Die Bienen tanzen.', response_format: 'aac' });
  });

  it('treats a body that is not audio as transient malformed', async () => {
    mock.server.use(http.post(endpoints.speech, () => new HttpResponse('<html>Bad gateway</html>', { headers: { 'content-type': 'audio/aac' } })));
    const err = await stepError(provider().narration(sceneInput(), out('html.m4a'), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_malformed', permanent: false });
  });

  it('maps 503 to transient unavailable, keeping any Retry-After', async () => {
    mock.server.use(http.post(endpoints.speech, () => apiError(503, { message: 'Overloaded' }, { 'retry-after-ms': '1500' })));
    const err = await stepError(provider().narration(sceneInput(), out('busy.m4a'), { signal: signal() }));
    expect(err).toMatchObject({ code: 'provider_unavailable', permanent: false, retryAfterMs: 1500 });
  });

  it('rejects with the signal reason when the caller aborts while the audio is streaming in', async () => {
    const controller = new AbortController();
    const reason = new CancelledError();
    const head = mock.fixtures.aac.subarray(0, 1024);
    mock.server.use(http.post(endpoints.speech, () => {
      // Headers and a first chunk arrive; the abort lands when the reader asks for more, so it hits the body read.
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new Uint8Array(head)),
        pull: () => {
          controller.abort(reason);
          return new Promise<void>(() => {});
        },
      });
      return new HttpResponse(body, { headers: { 'content-type': 'audio/aac' } });
    }));
    await expect(provider().narration(sceneInput(), out('aborted.m4a'), { signal: controller.signal })).rejects.toBe(reason);
  });
});
