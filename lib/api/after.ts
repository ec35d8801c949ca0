// Work that should run after the response is sent. Outside a request scope (scripts, tests)
// next/server's after() throws, and the work simply runs detached.
import { after } from 'next/server';
import { errorFields, log } from '@/lib/log';
import type { Kicker } from '@/lib/queue/kick';

export function afterResponse(fn: () => Promise<void>): void {
  const run = () => fn().catch((err) => log.error('after-response work failed', errorFields(err)));
  try {
    after(run);
  } catch {
    void run();
  }
}

export interface KickOptions {
  /** The trace the kicks belong to (CreatedBatch.traceparent): an HTTP kick sends it as its `traceparent` header. */
  traceparent?: string | null;
  /** Where non-local kicks run; after() by default. */
  defer?: (fn: () => Promise<void>) => void;
}

/**
 * Starts `count` more invocations once this request is answered. A local kick (waking this process's
 * scheduler) is done at once: registering after() work costs every request some server CPU
 * and buys nothing in a long-lived process. Other kicks go through `defer`.
 */
export function kickAfterResponse(kicker: Kicker, count: number, o: KickOptions = {}): void {
  if (count <= 0) return;
  if (kicker.local) {
    kicker.kick(count, o.traceparent).catch((err: unknown) => log.error('kick failed', errorFields(err)));
    return;
  }
  (o.defer ?? afterResponse)(() => kicker.kick(count, o.traceparent));
}
