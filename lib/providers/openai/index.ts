// The OpenAI content provider: the script from a chat model, stills from gpt-image-1, narration from TTS.
// The client is injected so the caller owns the key, base URL and timeout (see client.ts).
import type OpenAI from 'openai';
import type { VideoProvider } from '@/lib/providers/types';
import { sceneImageWithOpenAI, type ImageQuality } from './image';
import { planWithOpenAI } from './plan';
import { narrationWithOpenAI } from './speech';

export { createOpenAIClient, type OpenAIClientOptions } from './client';
export { toStepError, retryAfterMs } from './errors';
export { imageSizeFor, type ImageSize, type ImageQuality } from './image';

export interface OpenAIProviderOptions {
  client: OpenAI;
  /** Chat model for the script; default gpt-4o-mini. */
  planModel?: string;
  /** Speech model; default gpt-4o-mini-tts. */
  ttsModel?: string;
  /** gpt-image-1 quality; default medium. */
  imageQuality?: ImageQuality;
}

export function createOpenAIProvider(opts: OpenAIProviderOptions): VideoProvider {
  const { client } = opts;
  return {
    name: 'openai',
    // Each call hands the caller's signal to the SDK, so cancellation aborts the HTTP request itself.
    plan: (req, { signal }) => planWithOpenAI(client, req, { model: opts.planModel, signal }),
    sceneImage: (scene, outPath, { signal }) =>
      sceneImageWithOpenAI(client, scene, outPath, { quality: opts.imageQuality, signal }),
    narration: (scene, outPath, { signal }) => narrationWithOpenAI(client, scene, outPath, { model: opts.ttsModel, signal }),
  };
}
