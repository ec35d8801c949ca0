// Enqueue-to-plan-start latency read back from the event log: the plan task's 'enqueued' event and its
// first 'step_started' event, both stamped with the App's clock in this process.
import type { Db } from '@/lib/db/types';
import { sleep } from '../lib/app';

export interface PlanStart {
  videoId: string;
  latencyMs: number | null;
}

export async function planStarts(db: Db, videoIds: readonly string[]): Promise<PlanStart[]> {
  const r = await db.query<{ video_id: string; ms: number | null }>(
    `select t.video_id,
            extract(epoch from (min(s.at) - min(e.at))) * 1000 as ms
     from tasks t
     join task_events e on e.task_id = t.id and e.type = 'enqueued'
     left join task_events s on s.task_id = t.id and s.type = 'step_started'
     where t.kind = 'plan' and t.video_id = any($1::uuid[])
     group by t.video_id`,
    [videoIds],
  );
  const byId = new Map(r.rows.map((row) => [row.video_id, row.ms === null ? null : Number(row.ms)]));
  return videoIds.map((id) => ({ videoId: id, latencyMs: byId.get(id) ?? null }));
}

/** Waits (bounded) until every plan has started; returns what it has either way. */
export async function waitForPlanStarts(db: Db, videoIds: readonly string[], maxMs: number): Promise<PlanStart[]> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const starts = await planStarts(db, videoIds);
    if (starts.every((s) => s.latencyMs !== null) || Date.now() > deadline) return starts;
    await sleep(50);
  }
}
