import { APIConnectionError, APIUserAbortError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { StepError } from '@/lib/steps/errors';
import { CancelledError } from '@/lib/queue/errors';
import { createOpenAIClient, retryAfterMs, toStepError } from '@/lib/providers/openai';
import { withStepErrors } from '@/lib/providers/openai/errors';

const now = Date.parse('2030-01-01T00:00:00Z');
const headers = (h: Record<string, string>) => new Headers(h);

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and OpenAI\'s retry-after-ms, preferring the precise one', () => {
    expect(retryAfterMs(headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:12 GMT' }), now)).toBe(12_000);
    expect(retryAfterMs(headers({ 'retry-after': 'Mon, 31 Dec 2029 23:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after': '7', 'retry-after-ms': '2500.2' }), now)).toBe(2501);
  });

  it('ignores missing or unreadable values, leaving the wait to the queue\'s backoff', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '-3' }))).toBeUndefined();
  });
});

describe('toStepError', () => {
  it('fails at once when the account is out of credit, which a retry cannot fix', () => {
    const err = new RateLimitError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota', type: 'insufficient_quota' }, undefined, headers({ 'retry-after': '20' }));
    expect(toStepError(err, 'the script')).toMatchObject({ code: 'provider_quota', permanent: true });
  });

  it('treats connection failures as transient and keeps StepErrors as they are', () => {
    expect(toStepError(new APIConnectionError({ message: 'ECONNRESET' }), 'the script')).toMatchObject({ code: 'provider_unavailable', permanent: false });
    const own = new StepError('provider_malformed', 'x');
    expect(toStepError(own, 'the script')).toBe(own);
  });

  it('reads an SDK abort that is not the caller\'s as a timeout', () => {
    expect(toStepError(new APIUserAbortError(), 'the script')).toMatchObject({ code: 'provider_timeout', permanent: false });
  });
});

describe('withStepErrors', () => {
  it('passes the caller\'s abort reason through even when the failure looks like something else', async () => {
    const controller = new AbortController();
    const reason = new CancelledError();
    const run = withStepErrors('the script', controller.signal, async () => {
      controller.abort(reason);
      throw new APIUserAbortError();
    });
    await expect(run).rejects.toBe(reason);
  });
});

describe('createOpenAIClient', () => {
  it('never retries inside the SDK, and takes its base URL from the caller, not the environment', () => {
    const saved = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = 'http://env.invalid/v1';
    try {
      const client = createOpenAIClient({ apiKey: 'sk-test' });
      expect(client.maxRetries).toBe(0);
      expect(client.timeout).toBe(60_000);
      expect(client.baseURL).toBe('https://api.openai.com/v1');
      expect(createOpenAIClient({ apiKey: 'sk-test', baseURL: 'http://proxy.test/v1', timeoutMs: 5 }))
        .toMatchObject({ baseURL: 'http://proxy.test/v1', timeout: 5 });
    } finally {
      if (saved === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved;
    }
  });
});
