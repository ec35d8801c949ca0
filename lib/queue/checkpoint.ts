// A task's checkpoint, saved only while this invocation still holds the task.
import type { Queryable } from '@/lib/db/types';
import { LeaseLostError } from './errors';
import type { Checkpoint } from '@/lib/steps/checkpoint';
import type { ClaimedTask } from './types';

export function taskCheckpoint(q: Queryable, task: ClaimedTask, invocationId: string): Checkpoint {
  let current = task.checkpoint;
  return {
    get<T extends object>() {
      return current as T | null;
    },
    async save<T extends object>(data: T) {
      const r = await q.query(
        `update tasks set checkpoint = $3::jsonb where id = $1::bigint and locked_by = $2::text and status = 'running'`,
        [task.id, invocationId, JSON.stringify(data)],
      );
      if (r.rowCount !== 1) throw new LeaseLostError();
      current = data as Record<string, unknown>;
    },
  };
}

/** A remote job is still running: hand the task back to wait, without spending an attempt. */
export async function deferTask(
  q: Queryable,
  d: { taskId: string; invocationId: string; now: Date; afterMs: number },
): Promise<boolean> {
  const r = await q.query(
    `update tasks
     set status = 'ready', attempts = greatest(attempts - 1, 0), locked_by = null, locked_until = null,
         run_at = $3::timestamptz + $4::int * interval '1 millisecond', updated_at = $3::timestamptz
     where id = $1::bigint and locked_by = $2::text and status = 'running'`,
    [d.taskId, d.invocationId, d.now, d.afterMs],
  );
  return r.rowCount === 1;
}
