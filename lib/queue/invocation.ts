// What one process-queue invocation does, whoever triggered it (cron, a kick, a person).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@/lib/db/types';
import type { Kicker } from './kick';
import { processOne, type ProcessedTask, type WorkerDeps } from './worker';

export type Trigger = 'cron' | 'manual' | 'kick' | 'scheduler' | 'cli';

export interface InvocationResult {
  invocationId: string;
  processed: ProcessedTask | null;
  kicked: number;
}

export async function readyWork(q: Queryable, now: Date): Promise<{ ready: number; running: number }> {
  const r = await q.query<{ ready: number; running: number }>(
    `select count(*) filter (where status = 'ready' and run_at <= $1::timestamptz)::int as ready,
            count(*) filter (where status = 'running')::int as running
     from tasks where status in ('ready', 'running')`,
    [now],
  );
  return r.rows[0] ?? { ready: 0, running: 0 };
}

/** Runs one task, then kicks as many more invocations as there is ready work, up to the concurrency cap. */
export async function runInvocation(
  deps: WorkerDeps & { kicker: Kicker; concurrency: number; budgetMs: number; instanceId: string },
  trigger: Trigger,
  /** Where kicks run: a route passes after(), so the answer is not held up by them. */
  defer: (fn: () => Promise<void>) => void = (fn) => void fn(),
): Promise<InvocationResult> {
  const invocationId = `${trigger}:${deps.instanceId}:${randomUUID()}`;
  const processed = await processOne(deps, { invocationId, deadline: Date.now() + deps.budgetMs });
  const { ready, running } = await readyWork(deps.db, deps.now());
  const kicked = Math.max(0, Math.min(ready, deps.concurrency - running));
  if (kicked > 0) defer(() => deps.kicker.kick(kicked));
  return { invocationId, processed, kicked };
}
