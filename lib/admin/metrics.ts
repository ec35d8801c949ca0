// The metric families GET /api/metrics exposes, all computed from the database at scrape time.
// Every known state, kind and status gets a series (0 when empty), so series never appear and vanish.
import type { Queryable } from '@/lib/db/types';
import { videoStatuses } from '@/lib/videos/types';
import { DURATION_BUCKETS, stepHistograms } from './durations';
import { histogramSamples, type Family } from './prometheus';
import { leaseCounts, oldestReady, tasksByStateAndKind } from './queue-stats';
import { taskKinds, videoStepKinds } from '@/lib/pipeline/workflow';
import { taskStates } from './types';

const union = (known: readonly string[], found: string[]): string[] => [...new Set([...known, ...found])];

async function videosByStatus(q: Queryable): Promise<Map<string, number>> {
  const r = await q.query<{ status: string; count: number }>('select status, count(*)::int as count from videos group by status');
  return new Map(r.rows.map((row) => [row.status, row.count]));
}

export async function collectMetrics(q: Queryable, now: Date): Promise<Family[]> {
  const [tasks, oldest, videos, histograms, leases] = await Promise.all([
    tasksByStateAndKind(q),
    oldestReady(q, now),
    videosByStatus(q),
    stepHistograms(q, now, DURATION_BUCKETS),
    leaseCounts(q, now),
  ]);
  const count = (state: string, kind: string) => tasks.find((t) => t.state === state && t.kind === kind)?.count ?? 0;
  const kinds = union(taskKinds, tasks.map((t) => t.kind));
  const histogramKinds = union(videoStepKinds, histograms.map((h) => h.kind));
  const empty = { buckets: DURATION_BUCKETS.map((le) => ({ le, count: 0 })), count: 0, sum: 0 };
  return [
    {
      name: 'cueframe_queue_tasks', type: 'gauge', help: 'Tasks in the queue table by state and kind.',
      samples: union(taskStates, tasks.map((t) => t.state)).flatMap((state) =>
        kinds.map((kind) => ({ labels: { state, kind }, value: count(state, kind) }))),
    },
    {
      name: 'cueframe_queue_oldest_ready_age_seconds', type: 'gauge',
      help: 'Seconds since the longest-waiting claimable task (ready, run_at <= now) became claimable; 0 when none.',
      samples: [{ value: oldest?.ageSeconds ?? 0 }],
    },
    {
      name: 'cueframe_videos_total', type: 'counter', help: 'Videos by status.',
      samples: union(videoStatuses, [...videos.keys()]).map((status) => ({ labels: { status }, value: videos.get(status) ?? 0 })),
    },
    {
      name: 'cueframe_step_duration_seconds', type: 'histogram',
      help: 'Step durations (step_started to completed, same invocation) of steps completed in the last 24 hours.',
      samples: histogramKinds.flatMap((kind) =>
        histogramSamples('cueframe_step_duration_seconds', { kind }, histograms.find((h) => h.kind === kind) ?? empty)),
    },
    {
      name: 'cueframe_active_leases', type: 'gauge', help: 'Running tasks whose lease has not expired.',
      samples: [{ value: leases.active }],
    },
    {
      name: 'cueframe_expired_leases', type: 'gauge',
      help: 'Running tasks whose lease has expired; the next invocation sweeps them.',
      samples: [{ value: leases.expired }],
    },
  ];
}
