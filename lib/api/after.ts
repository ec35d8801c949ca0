// Work that should run after the response is sent. Outside a request scope (scripts, tests)
// next/server's after() throws, and the work simply runs detached.
import { after } from 'next/server';
import { errorFields, log } from '@/lib/log';

export function afterResponse(fn: () => Promise<void>): void {
  const run = () => fn().catch((err) => log.error('after-response work failed', errorFields(err)));
  try {
    after(run);
  } catch {
    void run();
  }
}
