// Typed transport for Runway's developer API. It knows HTTP and JSON, nothing about scenes:
// every failure leaves here as a StepError, except the caller's own abort, whose reason is
// rethrown unchanged so the queue can tell a lost lease or a cancel from a Runway problem.
import { StepError } from '@/lib/steps/errors';
import { httpError } from './http-errors';
import { createdSchema, parseReply, taskSchema, type ImageToVideoRequest, type RunwayTask } from './schemas';

export const RUNWAY_API_VERSION = '2024-11-06';
export const RUNWAY_BASE_URL = 'https://api.dev.runwayml.com';

export interface RunwayClientOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per request; Runway answers these calls quickly, the slow part is the job itself. */
  timeoutMs?: number;
  /** Only used to turn an HTTP-date Retry-After into a delay. */
  now?: () => number;
}

export interface RunwayClient {
  createImageToVideo(req: ImageToVideoRequest, signal: AbortSignal): Promise<{ id: string }>;
  getTask(id: string, signal: AbortSignal): Promise<RunwayTask>;
  cancelTask(id: string, signal: AbortSignal): Promise<void>;
}

export function createRunwayClient(opts: RunwayClientOptions): RunwayClient {
  const fetchFn = opts.fetch ?? fetch;
  const baseUrl = (opts.baseUrl ?? RUNWAY_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const now = opts.now ?? Date.now;

  async function send(method: string, path: string, signal: AbortSignal, body?: unknown): Promise<string> {
    signal.throwIfAborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${opts.apiKey}`,
          'X-Runway-Version': RUNWAY_API_VERSION,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([signal, timeout]),
      });
      // Read the body under the same signals: a reply that stalls half-way is still a timeout.
      const text = await res.text();
      if (!res.ok) throw httpError(res.status, text, res.headers.get('retry-after'), now());
      return text;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof StepError) throw err;
      if (timeout.aborted) {
        throw new StepError('provider_timeout', `Runway did not answer within ${Math.ceil(timeoutMs / 1000)} s; the step will try again.`, { cause: err });
      }
      const detail = err instanceof Error ? err.message : String(err);
      throw new StepError('provider_unavailable', `Runway could not be reached (${detail}); the step will try again.`, { cause: err });
    }
  }

  return {
    async createImageToVideo(req, signal) {
      return parseReply(await send('POST', '/v1/image_to_video', signal, req), createdSchema, 'starting a clip');
    },
    async getTask(id, signal) {
      return parseReply(await send('GET', `/v1/tasks/${encodeURIComponent(id)}`, signal), taskSchema, 'a job status check');
    },
    async cancelTask(id, signal) {
      await send('DELETE', `/v1/tasks/${encodeURIComponent(id)}`, signal);
    },
  };
}
