// Runway's developer API through the official @runwayml/sdk. This wrapper knows nothing about
// scenes: it turns every failure into a StepError, except the caller's own abort, whose reason is
// rethrown unchanged so the queue can tell a lost lease or a cancel from a Runway problem.
// The SDK's own retries are off (maxRetries: 0): a retry here would hide a failure from the step's
// checkpoint logic, and a retried create could pay for a second job. The SDK sets X-Runway-Version
// to the API version its types describe, so the version moves with the package, not by hand.
// Replies are still checked with our schemas: the SDK types what Runway should send, not what it did.
import RunwayML, { APIConnectionTimeoutError, APIError } from '@runwayml/sdk';
import { StepError } from '@/lib/steps/errors';
import { httpError } from './http-errors';
import { createdSchema, parseValue, taskSchema, type ImageToVideoRequest, type RunwayTask } from './schemas';

export const RUNWAY_BASE_URL = 'https://api.dev.runwayml.com';

export interface RunwayClientOptions {
  apiKey: string;
  /** From lib/config.ts; passed always, so the SDK never reads RUNWAYML_BASE_URL from the environment itself. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per request, body included; Runway answers these calls quickly, the slow part is the job itself. */
  timeoutMs?: number;
  /** Only used to turn an HTTP-date Retry-After into a delay. */
  now?: () => number;
}

export interface RunwayClient {
  createImageToVideo(req: ImageToVideoRequest, signal: AbortSignal): Promise<{ id: string }>;
  getTask(id: string, signal: AbortSignal): Promise<RunwayTask>;
  cancelTask(id: string, signal: AbortSignal): Promise<void>;
}

// A non-JSON error body reaches us only inside the message, after the status the SDK puts first.
function errorBody(err: APIError): unknown {
  return err.error ?? err.message.replace(/^\d{3} /, '');
}

export function createRunwayClient(opts: RunwayClientOptions): RunwayClient {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const now = opts.now ?? Date.now;
  const sdk = new RunwayML({
    apiKey: opts.apiKey,
    baseURL: (opts.baseUrl ?? RUNWAY_BASE_URL).replace(/\/+$/, ''),
    maxRetries: 0,
    timeout: timeoutMs,
    // Looked up per call, not when the client is made: test interceptors (msw) replace globalThis.fetch later.
    fetch: (input, init) => (opts.fetch ?? globalThis.fetch)(input, init),
  });

  async function call<T>(signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    // Our own timer as well as the SDK's: the SDK's stops once headers arrive, and a reply that
    // stalls half-way through its body is still a timeout.
    const timeout = AbortSignal.timeout(timeoutMs);
    const either = AbortSignal.any([signal, timeout]);
    // The SDK reads the body without watching the signal, so the wait itself is raced against it too.
    let stop = () => {};
    const aborted = new Promise<never>((_, reject) => {
      stop = () => reject(either.reason);
      either.addEventListener('abort', stop, { once: true });
    });
    try {
      return await Promise.race([run(either), aborted]);
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof StepError) throw err;
      if (err instanceof APIError && err.status !== undefined && err.headers) {
        throw httpError(err.status, errorBody(err), err.headers.get('retry-after'), now());
      }
      if (timeout.aborted || err instanceof APIConnectionTimeoutError) {
        throw new StepError('provider_timeout', `Runway did not answer within ${Math.ceil(timeoutMs / 1000)} s; the step will try again.`, { cause: err });
      }
      if (err instanceof SyntaxError) {
        throw new StepError('provider_malformed', 'Runway sent a reply that is not JSON.', { cause: err });
      }
      const detail = err instanceof Error ? err.message : String(err);
      throw new StepError('provider_unavailable', `Runway could not be reached (${detail}); the step will try again.`, { cause: err });
    } finally {
      either.removeEventListener('abort', stop);
    }
  }

  return {
    async createImageToVideo(req, signal) {
      const reply = await call(signal, (s) => sdk.imageToVideo.create(req, { signal: s }));
      return parseValue(reply, createdSchema, 'starting a clip');
    },
    async getTask(id, signal) {
      const reply = await call(signal, (s) => sdk.tasks.retrieve(id, { signal: s }));
      return parseValue(reply, taskSchema, 'a job status check');
    },
    async cancelTask(id, signal) {
      await call(signal, (s) => sdk.tasks.delete(id, { signal: s }));
    },
  };
}
