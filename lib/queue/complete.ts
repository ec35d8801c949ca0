import type { Queryable } from '@/lib/db/types';

export interface CompleteInput {
  taskId: string;
  invocationId: string;
  now: Date;
}

/**
 * Marks the task done if this invocation still holds it. Runs inside the transaction that writes the
 * step's results, so results and completion commit together or not at all; false means the lease was
 * lost and the caller must roll back.
 */
export async function completeTask(tx: Queryable, c: CompleteInput): Promise<boolean> {
  const r = await tx.query(
    `update tasks
     set status = 'done', locked_by = null, locked_until = null, updated_at = $3::timestamptz
     where id = $1::bigint and locked_by = $2::text and status = 'running'`,
    [c.taskId, c.invocationId, c.now],
  );
  return r.rowCount === 1;
}
