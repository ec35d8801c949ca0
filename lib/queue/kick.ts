// Kicks start processing now instead of at the next cron tick. Locally they wake the in-process
// scheduler; on Vercel each kick is a request to the process-queue route, i.e. a fresh invocation
// with its own time budget, which is how work chains from one invocation to the next.
import { errorFields, log } from '@/lib/log';
import type { Scheduler } from './scheduler';

export interface Kicker {
  /**
   * Starts `count` invocations. `traceparent` (W3C, lib/trace.ts) is the trace of the work that asked:
   * an HTTP kick sends it as the `traceparent` header, so the invocation's request joins that trace.
   */
  kick(count: number, traceparent?: string | null): Promise<void>;
  /**
   * True when a kick only wakes something in this process: it returns at once and needs nothing kept
   * alive after the response. An HTTP kick must outlive the response, which on Vercel takes after().
   */
  readonly local?: boolean;
}

/** For a process with no scheduler and nowhere to send kicks: cron alone drives the queue. */
export const noKicker: Kicker = { local: true, kick: async () => {} };

export function schedulerKicker(scheduler: Scheduler): Kicker {
  return {
    local: true,
    async kick(count) {
      if (count > 0) scheduler.wake();
    },
  };
}

export interface HttpKickerOptions {
  baseUrl: string;
  cronSecret?: string;
  protectionBypass?: string;
  fetch?: typeof fetch;
  /** How long to wait for the invocation to be accepted; the work itself outlives this. */
  dispatchMs?: number;
}

export function httpKicker(o: HttpKickerOptions): Kicker {
  const doFetch = o.fetch ?? fetch;
  const url = new URL('/api/video/process-queue', o.baseUrl).toString();
  const headers: Record<string, string> = { 'x-cueframe-trigger': 'kick' };
  if (o.cronSecret) headers.authorization = `Bearer ${o.cronSecret}`;
  if (o.protectionBypass) headers['x-vercel-protection-bypass'] = o.protectionBypass;
  return {
    async kick(count, traceparent) {
      const sent = traceparent ? { ...headers, traceparent } : headers;
      await Promise.all(
        Array.from({ length: count }, async () => {
          try {
            await doFetch(url, { method: 'POST', headers: sent, signal: AbortSignal.timeout(o.dispatchMs ?? 1_500) });
          } catch (err) {
            // A timeout here is the normal case: the invocation keeps running after we stop waiting.
            if ((err as Error).name !== 'TimeoutError') log.warn('kick failed; cron will sweep up', errorFields(err));
          }
        }),
      );
    },
  };
}
