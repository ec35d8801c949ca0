// stepDurationStats over a real PostgreSQL: medians per step kind from seeded task_events, pairing each
// completion with the step_started of the same task and invocation, within the last 7 days only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '@/lib/queue/events';
import { enqueueTask } from '@/lib/queue/enqueue';
import { stepDurationStats } from '@/lib/pipeline/eta';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedVideos } from '../helpers/queue';

const NOW = new Date('2025-06-10T12:00:00Z');
const at = (msBeforeNow: number) => new Date(NOW.getTime() - msBeforeNow);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let t: TestDatabase;

async function taskId(videoId: string, kind: string, sceneIndex: number | null): Promise<string> {
  const r = await t.db.query<{ id: string }>(
    `select id::text from tasks where video_id = $1::uuid and kind = $2::text and scene_index is not distinct from $3::int`,
    [videoId, kind, sceneIndex],
  );
  if (!r.rows[0]) throw new Error(`no ${kind} task ${sceneIndex ?? ''} for ${videoId}`);
  return r.rows[0].id;
}

/** A task of the video (the plan task exists already; others are enqueued) and its id. */
async function task(videoId: string, kind: 'plan' | 'render' | 'compose', sceneIndex: number | null = null): Promise<string> {
  if (kind !== 'plan') await enqueueTask(t.db, { videoId, kind, sceneIndex, maxAttempts: 3, now: at(60 * MIN) });
  return taskId(videoId, kind, sceneIndex);
}

/** One run of a task by one invocation: step_started at `start`, and completed `ms` later if ms is a number. */
async function run(videoId: string, id: string, invocationId: string, start: Date, ms: number | null): Promise<void> {
  await appendEvent(t.db, { taskId: id, videoId, invocationId, attempt: 1, type: 'step_started', at: start });
  if (ms === null) return;
  await appendEvent(t.db, { taskId: id, videoId, invocationId, attempt: 1, type: 'step_finished', at: new Date(start.getTime() + ms - 1) });
  await appendEvent(t.db, { taskId: id, videoId, invocationId, attempt: 1, type: 'completed', at: new Date(start.getTime() + ms) });
}

beforeAll(async () => {
  t = await createTestDatabase();
  const [a] = await seedVideos(t.db, 1, { sceneCount: 3 });
  const [b, c] = await seedVideos(t.db, 2, { sceneCount: 1, ownerId: 'owner-b' });

  // Video A: a plan of 4 s, renders of 12 s, 8 s and 5 s, a compose of 3 s.
  await run(a!, await task(a!, 'plan'), 'inv-a-plan', at(50 * MIN), 4_000);
  const r0 = await task(a!, 'render', 0);
  // A first run that failed (no completion), then a second run by another invocation that completed:
  // only the second run's 12 s counts, not the 10 minutes since the first start.
  await run(a!, r0, 'inv-a-r0-first', at(40 * MIN), null);
  await appendEvent(t.db, { taskId: r0, videoId: a!, invocationId: 'inv-a-r0-first', attempt: 1, type: 'retried', at: at(39 * MIN) });
  await run(a!, r0, 'inv-a-r0-second', at(30 * MIN), 12_000);
  await run(a!, await task(a!, 'render', 1), 'inv-a-r1', at(30 * MIN), 8_000);
  // A remote job: started, waited, and finished by a later invocation: 5 s, not the 35 s since the first start.
  const r2 = await task(a!, 'render', 2);
  await run(a!, r2, 'inv-a-r2-start', at(30 * MIN), null);
  await appendEvent(t.db, { taskId: r2, videoId: a!, invocationId: 'inv-a-r2-start', attempt: 1, type: 'waiting', at: at(30 * MIN - 1_000) });
  await run(a!, r2, 'inv-a-r2-resume', at(30 * MIN - 30_000), 5_000);
  await run(a!, await task(a!, 'compose'), 'inv-a-compose', at(20 * MIN), 3_000);

  // Video B: finished 8 days ago, outside the window: its 100 s plan must not count.
  await run(b!, await task(b!, 'plan'), 'inv-b-plan', at(8 * DAY), 100_000);
  // Video C: a render of 20 s, and a plan still running (started, never completed).
  await run(c!, await task(c!, 'render', 0), 'inv-c-r0', at(10 * MIN), 20_000);
  await run(c!, await task(c!, 'plan'), 'inv-c-plan', at(5 * MIN), null);
  // Video C's compose: a second invocation started it 1 s in and lost it, while the first one completed
  // after 7 s. The completion pairs with its own invocation's start: 7 s, not 6 s.
  const cc = await task(c!, 'compose');
  await appendEvent(t.db, { taskId: cc, videoId: c!, invocationId: 'inv-c-compose-1', attempt: 1, type: 'step_started', at: at(15 * MIN) });
  await appendEvent(t.db, { taskId: cc, videoId: c!, invocationId: 'inv-c-compose-2', attempt: 2, type: 'step_started', at: at(15 * MIN - 1_000) });
  await appendEvent(t.db, { taskId: cc, videoId: c!, invocationId: 'inv-c-compose-2', attempt: 2, type: 'lease_lost', at: at(15 * MIN - 2_000) });
  await appendEvent(t.db, { taskId: cc, videoId: c!, invocationId: 'inv-c-compose-1', attempt: 1, type: 'completed', at: at(15 * MIN - 7_000) });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

describe('stepDurationStats', () => {
  it('takes the median duration of each kind over the steps completed in the last 7 days', async () => {
    const stats = await stepDurationStats(t.db, NOW);
    expect(stats).toEqual({
      plan: { p50Ms: 4_000, samples: 1 },
      // 5, 8, 12 and 20 s: percentile_cont interpolates between the middle two.
      render: { p50Ms: 10_000, samples: 4 },
      // 3 s and 7 s.
      compose: { p50Ms: 5_000, samples: 2 },
    });
  });

  it('ignores completions after `now` and reports kinds without samples as zero', async () => {
    // 25 minutes ago, A's compose (20 min ago), C's compose (15 min ago) and C's render (10 min ago) had not completed yet.
    const earlier = await stepDurationStats(t.db, at(25 * MIN));
    expect(earlier).toEqual({
      plan: { p50Ms: 4_000, samples: 1 },
      render: { p50Ms: 8_000, samples: 3 },
      compose: { p50Ms: 0, samples: 0 },
    });
    const empty = await stepDurationStats(t.db, at(30 * DAY));
    expect(empty).toEqual({
      plan: { p50Ms: 0, samples: 0 },
      render: { p50Ms: 0, samples: 0 },
      compose: { p50Ms: 0, samples: 0 },
    });
  });

  it('keeps a completed step of 8 days ago out, and counts it again when `now` moves back', async () => {
    const then = await stepDurationStats(t.db, at(7 * DAY));
    expect(then.plan).toEqual({ p50Ms: 100_000, samples: 1 });
  });
});
