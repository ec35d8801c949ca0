// Every operator action leaves an 'admin_action' row in the append-only event log: what was done, to
// which video (the nil UUID when none), and what came of it, including refusals.
import type { Queryable } from '@/lib/db/types';
import { isAppError } from '@/lib/errors';
import { errorFields, log } from '@/lib/log';

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export type AdminActionName = 'retry_video' | 'cancel_video' | 'requeue_dead' | 'process_next';

export interface AdminActionRecord {
  action: AdminActionName;
  videoId: string | null;
  taskId?: string | null;
  invocationId?: string | null;
  result: Record<string, unknown>;
  at: Date;
}

export async function recordAdminAction(q: Queryable, a: AdminActionRecord): Promise<void> {
  await q.query(
    `insert into task_events (task_id, video_id, type, invocation_id, detail, at)
     values ($1::bigint, $2::uuid, 'admin_action', $3::text,
             jsonb_build_object('action', $4::text, 'by', 'admin', 'result', $5::jsonb), $6::timestamptz)`,
    [a.taskId ?? null, a.videoId ?? NIL_UUID, a.invocationId ?? null, a.action, JSON.stringify(a.result), a.at],
  );
}

/** What an action's result adds to its audit row. */
export interface AuditSummary {
  result: Record<string, unknown>;
  videoId?: string | null;
  taskId?: string | null;
  invocationId?: string | null;
}

export interface AuditContext {
  db: Queryable;
  now: () => Date;
}

/**
 * Runs an action and records it. A refused action (an AppError: unknown video, wrong state…) is
 * recorded with its code and rethrown; the refusal itself must never be lost to a failing audit.
 */
export async function audited<T>(
  ctx: AuditContext,
  what: { action: AdminActionName; videoId: string | null },
  run: () => Promise<T>,
  summarize: (result: T) => AuditSummary,
): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const error = isAppError(err) ? { code: err.code, message: err.message } : { code: 'internal_error' };
    await recordAdminAction(ctx.db, { ...what, result: { ok: false, error }, at: ctx.now() })
      .catch((auditErr: unknown) => log.error('admin audit failed', errorFields(auditErr)));
    throw err;
  }
  const s = summarize(result);
  await recordAdminAction(ctx.db, {
    ...what, ...s, videoId: s.videoId ?? what.videoId, result: { ok: true, ...s.result }, at: ctx.now(),
  });
  return result;
}
