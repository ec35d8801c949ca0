// "About 40 s left": an estimate of the time a video still needs, from the step durations the queue
// has measured. task_events records when each run of a step started and when its task completed, so
// a step's duration is completed.at − step_started.at of the same task and invocation.
//
// Which steps count, their defaults, the video status each runs under and whether it runs per scene
// are the workflow's declarations (lib/pipeline/workflow.ts): nothing here names a step.
import type { Queryable } from '@/lib/db/types';
import type { SceneStatus, VideoStatus } from '@/lib/videos/types';
import { stepOf, taskKinds } from './workflow';

/** The kinds with an `eta` declaration, in declaration order. */
export const etaStepKinds: readonly string[] = taskKinds.filter((k) => stepOf(k)?.eta);
export type EtaStepKind = string;

export interface StepStat {
  /** The median duration of one step of this kind, in whole milliseconds (0 when there are no samples). */
  p50Ms: number;
  /** How many completed steps the median is taken over. */
  samples: number;
}

export type StepDurationStats = Record<EtaStepKind, StepStat>;

/** How far back completed steps count. */
export const ETA_WINDOW_DAYS = 7;

/**
 * Used for a kind that has no samples yet while another kind has some (say, the first compose of a
 * fresh install after a few renders). With no samples at all, there is no estimate: see estimateRemainingMs.
 */
export const DEFAULT_STEP_MS: Readonly<Record<EtaStepKind, number>> = Object.fromEntries(etaStepKinds.map((k) => [k, stepOf(k)!.eta!.defaultMs]));

/** The order a running video's status moves in; a step whose phase is behind the video's is over. */
const PHASES: readonly VideoStatus[] = ['queued', 'planning', 'rendering', 'composing'];

/**
 * The median duration per step kind over the tasks completed in the `ETA_WINDOW_DAYS` before `now`.
 * Each completion is paired with the latest step_started of the same task by the same invocation, so
 * a run that was retried, released or that waited on a remote job counts only its successful run.
 * Kinds with no completed steps come back as { p50Ms: 0, samples: 0 }.
 */
export async function stepDurationStats(q: Queryable, now: Date): Promise<StepDurationStats> {
  const r = await q.query<{ kind: string; p50_ms: number | string | null; samples: number }>(
    `select t.kind,
            percentile_cont(0.5) within group (order by extract(epoch from (c.at - s.at)) * 1000)::float8 as p50_ms,
            count(*)::int as samples
     from task_events c
     join tasks t on t.id = c.task_id
     join lateral (
       select e.at
       from task_events e
       where e.task_id = c.task_id
         and e.invocation_id = c.invocation_id
         and e.type = 'step_started'
         and e.at <= c.at
       order by e.id desc
       limit 1
     ) s on true
     where c.type = 'completed'
       and c.at > $1::timestamptz - make_interval(days => $2::int)
       and c.at <= $1::timestamptz
       and t.kind = any($3::text[])
     group by t.kind`,
    [now, ETA_WINDOW_DAYS, etaStepKinds],
  );
  const stats = Object.fromEntries(etaStepKinds.map((k) => [k, { p50Ms: 0, samples: 0 }])) as StepDurationStats;
  for (const row of r.rows) {
    if (!etaStepKinds.includes(row.kind)) continue;
    const p50 = Number(row.p50_ms);
    stats[row.kind] = { p50Ms: Number.isFinite(p50) ? Math.round(p50) : 0, samples: row.samples };
  }
  return stats;
}

export interface EtaVideo {
  status: VideoStatus;
  sceneCount: number;
  scenes: ReadonlyArray<{ status: SceneStatus }>;
}

/**
 * Milliseconds until the video is likely finished: the plan if it has not been written yet, then the
 * scenes still to render in waves of `concurrency` (scenes render in parallel), then compose.
 *
 * - null when the video is no longer running (completed, failed, cancelled): there is nothing to wait for;
 * - null while it awaits review: what is left depends on when its owner approves;
 * - null when the queue has measured no step at all yet: an estimate would be a guess, so none is shown;
 * - a kind without samples while others have some uses DEFAULT_STEP_MS (5 s plan, 10 s render, 5 s compose).
 *
 * A step under way counts in full (the event log has no partial progress), so the estimate is on the
 * long side while a step runs and drops as each one finishes.
 */
export function estimateRemainingMs(video: EtaVideo, stats: StepDurationStats, opts: { concurrency: number }): number | null {
  if (video.status === 'completed' || video.status === 'failed' || video.status === 'cancelled') return null;
  // Nothing runs while the scenes wait for their owner, so no time can be promised.
  if (video.status === 'awaiting_review') return null;
  if (etaStepKinds.every((k) => !(stats[k]?.samples > 0))) return null;
  const ms = (k: EtaStepKind) => (stats[k]?.samples > 0 ? Math.max(0, stats[k].p50Ms) : DEFAULT_STEP_MS[k]);

  const at = PHASES.indexOf(video.status);
  const rendered = video.scenes.filter((s) => s.status === 'rendered').length;
  const concurrency = Math.max(1, Math.floor(Number.isFinite(opts.concurrency) ? opts.concurrency : 1));

  let total = 0;
  for (const kind of etaStepKinds) {
    const step = stepOf(kind)!;
    if (PHASES.indexOf(step.eta!.phase) < at) continue; // the video is past this step
    // A per-scene step runs the scenes still to do in waves of `concurrency` (scenes render in parallel).
    total += step.perScene ? Math.ceil(Math.max(0, video.sceneCount - rendered) / concurrency) * ms(kind) : ms(kind);
  }
  return total;
}
