// The one place an OpenAI client is configured, so every call shares the same retry and timeout policy.
import OpenAI from 'openai';

export const DEFAULT_TIMEOUT_MS = 60_000;
const OPENAI_API = 'https://api.openai.com/v1';

export interface OpenAIClientOptions {
  apiKey: string;
  /** Callers pass OPENAI_BASE_URL here; the SDK would otherwise read it from the environment by itself. */
  baseURL?: string;
  /** How long to wait for a response to start; the caller's signal bounds the whole call. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

export function createOpenAIClient(opts: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    apiKey: opts.apiKey,
    // Explicit values stop the SDK from filling these in from OPENAI_* variables behind the caller's back.
    baseURL: opts.baseURL ?? OPENAI_API,
    organization: null,
    project: null,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Retries belong to our queue: it persists them across invocations, backs off, honours Retry-After and
    // respects the time budget. SDK retries would sleep inside one invocation, invisible to all of that.
    maxRetries: 0,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}
