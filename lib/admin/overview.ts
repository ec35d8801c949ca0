// Everything the admin page shows, read in one go from the database.
import type { Queryable } from '@/lib/db/types';
import { awaitingReview, deadTasks, failedVideos, taskThroughput, videoThroughput } from './failures';
import { stepPercentiles } from './durations';
import { oldestReady, runningTasks, tasksByStateAndKind } from './queue-stats';
import { spend } from './spend';
import { taskStates, type AdminOverview, type TaskState } from './types';

export function queueByState(rows: { state: TaskState; count: number }[]): Record<TaskState, number> {
  const queue = Object.fromEntries(taskStates.map((s) => [s, 0])) as Record<TaskState, number>;
  for (const row of rows) queue[row.state] = (queue[row.state] ?? 0) + row.count;
  return queue;
}

export async function adminOverview(q: Queryable, now: Date): Promise<AdminOverview> {
  const [byKind, oldest, running, dead, failed, tasks, videos, steps, money, reviews] = await Promise.all([
    tasksByStateAndKind(q),
    oldestReady(q, now),
    runningTasks(q, now),
    deadTasks(q),
    failedVideos(q),
    taskThroughput(q, now),
    videoThroughput(q, now),
    stepPercentiles(q, now),
    spend(q),
    awaitingReview(q, now),
  ]);
  return {
    generatedAt: now.toISOString(),
    queue: queueByState(byKind),
    oldestReady: oldest,
    running,
    failures: {
      deadTasks: dead.rows,
      deadTaskCount: dead.total,
      failedVideos: failed.rows,
      failedVideoCount: failed.total,
    },
    throughput: { tasks, videos },
    steps,
    spend: money,
    awaitingReview: reviews,
  };
}
