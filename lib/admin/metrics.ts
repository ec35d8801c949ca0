// The metric families GET /api/metrics exposes. Gauges are current states, read from the tables at
// scrape time. Counters and histograms are running totals (metric_counters, see lib/queue/counters.ts)
// written with the events they count, so they never go down: not when tasks are retried, videos
// cancelled or old rows cleaned up. Every known state, kind and status gets a series (0 when empty),
// so series never appear and vanish.
import type { Queryable } from '@/lib/db/types';
import { videoStatuses } from '@/lib/videos/types';
import { COUNTERS } from '@/lib/queue/counters';
import { readCounters, stepHistogram, total, type CounterRow } from './counters';
import { histogramSamples, type Family, type Sample } from './prometheus';
import { leaseCounts, oldestReady, tasksByStateAndKind } from './queue-stats';
import { taskKinds } from '@/lib/pipeline/workflow';
import { taskStates } from './types';

const union = (known: readonly string[], found: string[]): string[] => [...new Set([...known, ...found])];

async function videosByStatus(q: Queryable): Promise<Map<string, number>> {
  const r = await q.query<{ status: string; count: number }>('select status, count(*)::int as count from videos group by status');
  return new Map(r.rows.map((row) => [row.status, row.count]));
}

async function claimableNow(q: Queryable, now: Date): Promise<number> {
  const r = await q.query<{ count: number }>(
    `select count(*)::int as count from tasks where status = 'ready' and run_at <= $1::timestamptz`, [now]);
  return r.rows[0]?.count ?? 0;
}

/** Kinds seen in the counters besides the workflow's (e.g. a kind since removed). */
const kindsIn = (rows: CounterRow[]) => rows.map((r) => r.labels.kind).filter((k): k is string => k !== undefined);

export async function collectMetrics(q: Queryable, now: Date): Promise<Family[]> {
  const [tasks, oldest, videos, counters, leases, depth] = await Promise.all([
    tasksByStateAndKind(q),
    oldestReady(q, now),
    videosByStatus(q),
    readCounters(q),
    leaseCounts(q, now),
    claimableNow(q, now),
  ]);
  const count = (state: string, kind: string) => tasks.find((t) => t.state === state && t.kind === kind)?.count ?? 0;
  const kinds = union(taskKinds, [...tasks.map((t) => t.kind), ...kindsIn(counters)]);
  const byKind = (name: string): Sample[] => kinds.map((kind) => ({ labels: { kind }, value: total(counters, name, { kind }) }));
  const webhook = (name: string) => total(counters, name, { kind: 'webhook' });
  return [
    {
      name: 'cueframe_queue_tasks', type: 'gauge', help: 'Tasks in the queue table by state and kind.',
      samples: union(taskStates, tasks.map((t) => t.state)).flatMap((state) =>
        kinds.map((kind) => ({ labels: { state, kind }, value: count(state, kind) }))),
    },
    {
      name: 'cueframe_queue_depth', type: 'gauge', help: 'Ready tasks that are claimable now (run_at <= now).',
      samples: [{ value: depth }],
    },
    {
      name: 'cueframe_queue_oldest_ready_age_seconds', type: 'gauge',
      help: 'Seconds since the longest-waiting claimable task (ready, run_at <= now) became claimable; 0 when none.',
      samples: [{ value: oldest?.ageSeconds ?? 0 }],
    },
    {
      name: 'cueframe_videos', type: 'gauge', help: 'Videos by current status.',
      samples: union(videoStatuses, [...videos.keys()]).map((status) => ({ labels: { status }, value: videos.get(status) ?? 0 })),
    },
    {
      name: 'cueframe_tasks_completed_total', type: 'counter', help: 'Tasks completed, by kind.',
      samples: byKind(COUNTERS.tasksCompleted),
    },
    {
      name: 'cueframe_tasks_retried_total', type: 'counter', help: 'Failed task attempts that were scheduled for a retry, by kind.',
      samples: byKind(COUNTERS.tasksRetried),
    },
    {
      name: 'cueframe_tasks_failed_total', type: 'counter', help: 'Tasks that failed for good (dead), by kind.',
      samples: byKind(COUNTERS.tasksFailed),
    },
    {
      name: 'cueframe_leases_expired_total', type: 'counter',
      help: 'Running tasks taken back after their lease expired (the invocation crashed or timed out), by kind.',
      samples: byKind(COUNTERS.leasesExpired),
    },
    {
      name: 'cueframe_webhook_deliveries_total', type: 'counter',
      help: 'Webhook delivery attempts by outcome: delivered, retried (failed, tried again later), failed (given up).',
      samples: [
        { labels: { outcome: 'delivered' }, value: webhook(COUNTERS.tasksCompleted) },
        { labels: { outcome: 'retried' }, value: webhook(COUNTERS.tasksRetried) },
        { labels: { outcome: 'failed' }, value: webhook(COUNTERS.tasksFailed) },
      ],
    },
    {
      name: 'cueframe_credits_captured_total', type: 'counter', help: 'Credits captured by completed videos.',
      samples: [{ value: total(counters, COUNTERS.creditsCaptured) }],
    },
    {
      name: 'cueframe_step_duration_seconds', type: 'histogram',
      help: 'Step durations, step_started to completed in the same invocation, of every step completed.',
      samples: kinds.flatMap((kind) =>
        histogramSamples('cueframe_step_duration_seconds', { kind }, stepHistogram(counters, kind))),
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
