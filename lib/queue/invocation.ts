// What one process-queue invocation does, whoever triggered it (cron, a kick, a person).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@/lib/db/types';
import { log } from '@/lib/log';
import type { Kicker } from './kick';
import type { ProcessedTask, QueueDeps } from './registry';
import { processOne } from './worker';

export type Trigger = 'cron' | 'manual' | 'kick' | 'scheduler' | 'cli';

export interface InvocationResult {
  invocationId: string;
  processed: ProcessedTask | null;
  kicked: number;
}

/** Ready tasks and live leases, each counted only up to `limit` through the partial indexes: the caller
 * only needs to know how many more invocations to start, and a full count is a scan at scale. An
 * expired lease is a crashed invocation's, which the next sweep hands back, so it is not running. */
export async function readyWork(q: Queryable, now: Date, limit: number): Promise<{ ready: number; running: number }> {
  const r = await q.query<{ ready: number; running: number }>(
    `select (select count(*) from (select 1 from tasks where status = 'ready' and run_at <= $1::timestamptz limit $2::int) r)::int as ready,
            (select count(*) from (select 1 from tasks where status = 'running' and locked_until > $1::timestamptz limit $2::int) u)::int as running`,
    [now, limit],
  );
  return r.rows[0] ?? { ready: 0, running: 0 };
}

/** Runs one task, then kicks as many more invocations as there is ready work, up to the concurrency cap. */
export async function runInvocation(
  deps: QueueDeps & { kicker: Kicker; concurrency: number; budgetMs: number; instanceId: string },
  trigger: Trigger,
  /** Where kicks run: a route passes after(), so the answer is not held up by them. */
  defer: (fn: () => Promise<void>) => void = (fn) => void fn(),
): Promise<InvocationResult> {
  const invocationId = `${trigger}:${deps.instanceId}:${randomUUID()}`;
  const run = await processOne(deps, { invocationId, deadline: Date.now() + deps.budgetMs });
  // An invocation that found nothing to claim does not kick: ready work it could not claim (caps,
  // time budget) would otherwise make empty invocations kick each other in a loop.
  if (!run) return { invocationId, processed: null, kicked: 0 };
  // The trace context travels with kicks only; it is not part of what an invocation reports.
  const { traceparent, ...processed } = run;
  const { ready, running } = await readyWork(deps.db, deps.now(), deps.concurrency);
  const kicked = Math.max(0, Math.min(ready, deps.concurrency - running));
  // The kicks carry this task's trace: the ready work is most often its own video's next steps.
  if (kicked > 0) defer(() => deps.kicker.kick(kicked, traceparent));
  // One line per task run, whoever triggered it: on Vercel, the function's log of what it did.
  log.info('task processed', { invocationId, ...processed, kicked });
  return { invocationId, processed, kicked };
}
