// The append-only task log: the record that proves each task ran exactly once.
import type { Queryable } from '@/lib/db/types';
import type { TaskEventType } from './types';

export interface TaskEventInput {
  taskId: string | null;
  videoId: string;
  type: TaskEventType;
  invocationId?: string | null;
  attempt?: number | null;
  detail?: Record<string, unknown> | null;
  at: Date;
}

export async function appendEvent(q: Queryable, e: TaskEventInput): Promise<void> {
  await q.query(
    `insert into task_events (task_id, video_id, type, invocation_id, attempt, detail, at)
     values ($1::bigint, $2::uuid, $3::text, $4::text, $5::int, $6::jsonb, $7::timestamptz)`,
    [e.taskId, e.videoId, e.type, e.invocationId ?? null, e.attempt ?? null, e.detail ? JSON.stringify(e.detail) : null, e.at],
  );
}
