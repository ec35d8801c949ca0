// Shared set-up for the OpenAI provider tests: an msw server with the happy-path handlers, real media
// fixtures, a temp dir, and helpers to build scenes and catch errors.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { createOpenAIClient, createOpenAIProvider, type OpenAIProviderOptions } from '@/lib/providers/openai';
import type { SceneInput } from '@/lib/providers/types';
import { makeTmpDir } from '../../media/fixtures';
import { makeOpenAIFixtures, openaiHandlers, type OpenAIFixtures, type RecordedRequest } from '../../helpers/openai-msw';

export function useOpenAIMock() {
  const server = setupServer();
  const requests: RecordedRequest[] = [];
  const state = {} as { dir: string; fixtures: OpenAIFixtures; cleanup: () => Promise<void> };
  beforeAll(async () => {
    const tmp = await makeTmpDir('cueframe-openai-test-');
    state.dir = tmp.dir;
    state.cleanup = tmp.cleanup;
    state.fixtures = await makeOpenAIFixtures(tmp.dir);
    server.listen({ onUnhandledRequest: 'error' });
    server.resetHandlers(...openaiHandlers(state.fixtures, requests));
  });
  // resetHandlers() alone would fall back to setupServer()'s (empty) list, so the happy path is restated.
  afterEach(() => {
    server.resetHandlers(...openaiHandlers(state.fixtures, requests));
    requests.length = 0;
  });
  afterAll(async () => {
    server.close();
    await state.cleanup?.();
  });
  return {
    server,
    requests,
    get dir() { return state.dir; },
    get fixtures() { return state.fixtures; },
  };
}

/** A provider over a fresh client; call inside a test so the client picks up msw's fetch. */
export function provider(opts: Partial<OpenAIProviderOptions> & { timeoutMs?: number } = {}) {
  const { timeoutMs, ...rest } = opts;
  return createOpenAIProvider({ client: createOpenAIClient({ apiKey: 'sk-test', timeoutMs }), ...rest });
}

export function sceneInput(overrides: Partial<SceneInput> = {}): SceneInput {
  return {
    videoId: '00000000-0000-4000-8000-000000000001',
    topic: 'Lighthouses',
    sceneIndex: 1,
    sceneCount: 3,
    narration: 'Lighthouses guided ships home for centuries.',
    visualPrompt: 'A lighthouse on a rocky cliff at dusk, waves below',
    durationMs: 4000,
    aspectRatio: '16:9',
    width: 1280,
    height: 720,
    voice: 'coral',
    language: 'en',
    ...overrides,
  };
}

export const signal = () => new AbortController().signal;

/** Awaits a promise that must reject with a StepError and returns it for field-by-field checks. */
export async function stepError(promise: Promise<unknown>): Promise<StepError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}
