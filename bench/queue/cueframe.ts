// Cueframe's side of bench:queue: bulk-loads videos, owners and tasks matching db/migrations, and
// claims and completes with the real lib/queue functions, the way the worker does per task.
import type { Db } from '@/lib/db/types';
import { claimTask } from '@/lib/queue/claim';
import { completeTask } from '@/lib/queue/complete';
import { appendEvent } from '@/lib/queue/events';
import { readyWork } from '@/lib/queue/invocation';
import { releaseExpiredLeases } from '@/lib/queue/lease';
import { taskKinds } from '@/lib/pipeline/workflow';
import type { ClaimedTask } from '@/lib/queue/types';
import { bulkLoad } from '../lib/db';
import { elapsedMs, summarize, type Summary } from '../lib/stats';
import type { QueueDriver } from './measure';
import { totalRows, type TableShape } from './scenarios';

export const TASKS_PER_VIDEO = 10; // plan, render 0–7, compose: an 8-scene video
export const LEASE_MS = 60_000;

export interface Caps {
  maxRunning: number;
  ownerMaxRunning: number;
}

/**
 * Rows are generated oldest first: `done`, then `stuck`, then `ready`. Stuck rows are what a mass crash
 * leaves before the sweep: running, their lease expired an hour ago (or, with `liveLeases`, valid for a
 * century: live work).
 * Video v belongs to owner v % owners; its ten tasks are plan, render 0–7 and compose. One
 * insert … select generate_series per table.
 */
export async function loadCueframe(url: string, shape: TableShape, owners: number): Promise<void> {
  const total = totalRows(shape);
  const videos = Math.ceil(total / TASKS_PER_VIDEO);
  await bulkLoad(url, [
    {
      text: `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status,
                                 progress, step_label, created_at, updated_at)
             select md5('bench-video-' || v)::uuid, 'owner-' || (v % $2::int), md5('bench-video-' || v),
                    'Bench topic ' || v, 8, '16:9', '720p',
                    case when (v + 1) * $4::int <= $3::int then 'completed' else 'rendering' end,
                    case when (v + 1) * $4::int <= $3::int then 100 else 10 end, 'Rendering scenes',
                    now() - interval '1 day', now() - interval '1 day'
             from generate_series(0, $1::int - 1) v`,
      values: [videos, owners, shape.done, TASKS_PER_VIDEO],
    },
    {
      text: `insert into queue_owners (owner_id) select 'owner-' || o from generate_series(0, least($1::int, $2::int) - 1) o`,
      values: [owners, videos],
    },
    {
      text: `insert into tasks (video_id, owner_id, kind, scene_index, status, priority, run_at, attempts, max_attempts,
                                locked_by, locked_until, created_at, updated_at)
             select md5('bench-video-' || (g / $5::int))::uuid, 'owner-' || ((g / $5::int) % $4::int),
                    case g % $5::int when 0 then 'plan' when $5::int - 1 then 'compose' else 'render' end,
                    case when g % $5::int between 1 and $5::int - 2 then g % $5::int - 1 end,
                    case when g < $1::int then 'done' when g < $1::int + $2::int then 'running' else 'ready' end,
                    0, t.at, case when g < $1::int + $2::int then 1 else 0 end, 5,
                    case when g >= $1::int and g < $1::int + $2::int then 'bench:stuck' end,
                    case when g >= $1::int and g < $1::int + $2::int
                         then now() + case when $6::boolean then interval '100 years' else interval '-1 hour' end end,
                    t.at, t.at
             from generate_series(0, $3::int - 1) g
             cross join lateral (select now() - interval '1 day' + g * interval '1 millisecond' as at) t`,
      values: [shape.done, shape.stuck, total, owners, TASKS_PER_VIDEO, shape.liveLeases ?? false],
    },
  ], ['videos', 'tasks', 'queue_owners', 'task_events']);
}

type Claimed = ClaimedTask & { invocationId: string };

const LOG_EVENTS = process.env.BENCH_QUEUE_EVENTS === '1';

export function cueframeDriver(db: Db, caps: Caps): QueueDriver<Claimed> {
  return {
    async claim(worker, seq) {
      const invocationId = `bench:${worker}:${seq}`;
      const task = await claimTask(db, {
        invocationId,
        now: new Date(),
        leaseMs: LEASE_MS,
        kinds: taskKinds,
        maxRunning: caps.maxRunning,
        ownerMaxRunning: caps.ownerMaxRunning,
      });
      return task ? { ...task, invocationId } : null;
    },
    // With BENCH_QUEUE_EVENTS=1, as the worker completes: step_started first, then the task and its
    // `completed` event (and the metric counters that event adds to) in one transaction. Off by
    // default, so runs stay comparable with the recorded ones and with pg-boss, which logs nothing.
    async complete(task) {
      if (!LOG_EVENTS) return db.transaction((tx) => completeTask(tx, { taskId: task.id, invocationId: task.invocationId, now: new Date() }));
      const ids = { taskId: task.id, videoId: task.video_id, invocationId: task.invocationId, attempt: task.attempts };
      await appendEvent(db, { ...ids, type: 'step_started', at: new Date() });
      return db.transaction(async (tx) => {
        const now = new Date();
        if (!(await completeTask(tx, { taskId: task.id, invocationId: task.invocationId, now }))) return false;
        await appendEvent(tx, { ...ids, type: 'completed', at: now });
        return true;
      });
    },
  };
}

/** The two other queries every invocation runs besides claim and complete: the stale-lease sweep and readyWork. */
export async function invocationExtras(db: Db, samples: number): Promise<{ sweepMs: Summary; readyWorkMs: Summary }> {
  const sweep: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < samples; i++) {
    let t = process.hrtime.bigint();
    await releaseExpiredLeases(db, new Date());
    sweep.push(elapsedMs(t));
    t = process.hrtime.bigint();
    await readyWork(db, new Date(), 16);
    ready.push(elapsedMs(t));
  }
  return { sweepMs: summarize(sweep), readyWorkMs: summarize(ready) };
}
