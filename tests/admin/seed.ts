// Rows inserted directly with SQL at controlled timestamps, so admin numbers can be asserted exactly.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Db, Queryable } from '@/lib/db/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** NOW shifted by seconds (negative = earlier). */
export const at = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);

export async function insertVideo(
  q: Queryable,
  v: { status: string; ownerId?: string; topic?: string; completedAt?: Date | null; errorCode?: string; errorMessage?: string; sceneCount?: number },
): Promise<string> {
  const id = randomUUID();
  await q.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status,
                         completed_at, error_code, error_message, created_at, updated_at)
     values ($1::uuid, $2::text, 'h', $3::text, $4::int, '16:9', '720p', $5::text, $6::timestamptz, $7::text, $8::text,
             $9::timestamptz, coalesce($6::timestamptz, $9::timestamptz))`,
    [id, v.ownerId ?? 'owner-a', v.topic ?? `Video ${id.slice(0, 8)}`, v.sceneCount ?? 2, v.status, v.completedAt ?? null,
     v.errorCode ?? null, v.errorMessage ?? null, at(-3 * 24 * 3600)],
  );
  return id;
}

export interface TaskSeed {
  videoId: string;
  kind: 'plan' | 'render' | 'compose' | 'webhook';
  status: 'ready' | 'running' | 'done' | 'dead' | 'cancelled';
  sceneIndex?: number | null;
  ref?: string | null;
  runAt?: Date;
  lockedBy?: string | null;
  lockedUntil?: Date | null;
  attempts?: number;
  lastErrorCode?: string | null;
  lastError?: string | null;
  updatedAt?: Date;
}

export async function insertTask(q: Queryable, t: TaskSeed): Promise<string> {
  const r = await q.query<{ id: string }>(
    `insert into tasks (video_id, owner_id, kind, scene_index, ref, status, run_at, attempts, locked_by, locked_until,
                        last_error_code, last_error, created_at, updated_at)
     select v.id, v.owner_id, $2::text, $3::int, $4::text, $5::text, $6::timestamptz, $7::int, $8::text, $9::timestamptz,
            $10::text, $11::text, $12::timestamptz, $13::timestamptz
     from videos v where v.id = $1::uuid
     returning id`,
    [t.videoId, t.kind, t.sceneIndex ?? (t.kind === 'render' ? 0 : null), t.ref ?? null, t.status, t.runAt ?? at(-3600),
     t.attempts ?? 0, t.lockedBy ?? null, t.lockedUntil ?? null, t.lastErrorCode ?? null, t.lastError ?? null,
     at(-2 * 24 * 3600), t.updatedAt ?? at(-60)],
  );
  return r.rows[0]!.id;
}

export async function insertEvent(
  q: Queryable,
  e: { taskId: string | null; videoId: string; type: string; at: Date; invocationId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await q.query(
    `insert into task_events (task_id, video_id, type, invocation_id, detail, at)
     values ($1::bigint, $2::uuid, $3::text, $4::text, $5::jsonb, $6::timestamptz)`,
    [e.taskId, e.videoId, e.type, e.invocationId ?? null, e.detail ? JSON.stringify(e.detail) : null, e.at],
  );
}

/** A step that ran in one invocation: step_started, then completed `seconds` later, ending at `end`. */
export async function insertStep(q: Queryable, s: { taskId: string; videoId: string; kind: string; invocationId: string; end: Date; seconds: number }): Promise<void> {
  await insertEvent(q, { taskId: s.taskId, videoId: s.videoId, type: 'claimed', invocationId: s.invocationId, at: new Date(s.end.getTime() - s.seconds * 1000) });
  await insertEvent(q, {
    taskId: s.taskId, videoId: s.videoId, type: 'step_started', invocationId: s.invocationId,
    at: new Date(s.end.getTime() - s.seconds * 1000), detail: { step: s.kind, scene: null },
  });
  await insertEvent(q, { taskId: s.taskId, videoId: s.videoId, type: 'completed', invocationId: s.invocationId, at: s.end });
}

export async function adminEvents(q: Queryable): Promise<{ task_id: string | null; video_id: string; invocation_id: string | null; detail: Record<string, unknown> }[]> {
  const r = await q.query<{ task_id: string | null; video_id: string; invocation_id: string | null; detail: Record<string, unknown> }>(
    "select task_id, video_id, invocation_id, detail from task_events where type = 'admin_action' order by id",
  );
  return r.rows;
}

export const truncateAll = (q: Queryable) =>
  q.query('truncate videos, tasks, queue_owners, task_events, usage_items, credit_ledger, owners, metric_counters cascade');

/**
 * One database and one App (ADMIN_TOKEN set, the clock at NOW) for a test file, emptied before each
 * test. The getters read the current ones.
 */
export function useAdminApp(): { readonly db: Db; readonly app: TestApp } {
  let t: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await createTestApp(t.db, { env: { ADMIN_TOKEN }, now: () => NOW });
  });
  afterAll(async () => {
    await app.cleanup();
    await t.drop();
  });
  beforeEach(async () => {
    await truncateAll(t.db);
  });
  return {
    get db() {
      return t.db;
    },
    get app() {
      return app;
    },
  };
}
