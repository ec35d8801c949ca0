// One seeded queue, shared by the overview and metrics tests. Every number they assert follows from
// the rows below (times relative to NOW):
//   tasks     ready 3 (render, run_at −90 s, −30 s, +60 s), running 2 (leases +30 s and −5 s),
//             done 8 (plan 4, render 2, compose 2), dead 2 (render, webhook), cancelled 1 (render)
//   steps     plan 1, 2, 3, 4 s (+ one 25 h ago), render 10 s (after a lost attempt) and 20 s
//   events    completed: 2 in the last hour, 6 in the day; failed: 1 in the hour, 2 in the day
//   videos    rendering 1, completed 3 (−10 min, −5 h, −3 d), failed 2 (−30 min, −2 d), cancelled 1
//   money     captures of 10, 7 and 4 (round 1 of a retried video) = 21 credits; usage $0.375
import type { Queryable } from '@/lib/db/types';
import { at, insertEvent, insertStep, insertTask, insertVideo } from './seed';

export interface Scenario {
  busy: string;
  failedRecent: string;
  failedOld: string;
  oldestReady: string;
  activeLease: string;
  expiredLease: string;
  deadRender: string;
  deadWebhook: string;
}

async function ledger(q: Queryable, videoId: string | null, kind: string, round: number, amount: number): Promise<void> {
  await q.query(
    `insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
     values ('owner-a', $1::uuid, $2::text, $3::int, $4::int, 100, $5::timestamptz)`,
    [videoId, kind, round, amount, at(-3600)],
  );
}

export async function seedScenario(q: Queryable): Promise<Scenario> {
  const busy = await insertVideo(q, { status: 'rendering', sceneCount: 6 });
  const completedRecent = await insertVideo(q, { status: 'completed', completedAt: at(-600) });
  const completedDay = await insertVideo(q, { status: 'completed', completedAt: at(-5 * 3600) });
  const webhookVideo = await insertVideo(q, { status: 'completed', completedAt: at(-3 * 24 * 3600) });
  const failedRecent = await insertVideo(q, {
    status: 'failed', completedAt: at(-1800), errorCode: 'render_failed', errorMessage: 'Scene 2 could not be rendered.',
  });
  const failedOld = await insertVideo(q, { status: 'failed', completedAt: at(-2 * 24 * 3600), errorCode: 'plan_failed', errorMessage: 'No script.' });
  await insertVideo(q, { status: 'cancelled', completedAt: at(-100) });

  const busyPlan = await insertTask(q, { videoId: busy, kind: 'plan', status: 'done' });
  const activeLease = await insertTask(q, { videoId: busy, kind: 'render', sceneIndex: 0, status: 'running', lockedBy: 'inv-a', lockedUntil: at(30), attempts: 2 });
  await insertEvent(q, { taskId: activeLease, videoId: busy, type: 'claimed', invocationId: 'inv-old', at: at(-200) });
  await insertEvent(q, { taskId: activeLease, videoId: busy, type: 'claimed', invocationId: 'inv-a', at: at(-20) });
  const expiredLease = await insertTask(q, { videoId: busy, kind: 'render', sceneIndex: 1, status: 'running', lockedBy: 'inv-b', lockedUntil: at(-5), attempts: 1 });
  await insertEvent(q, { taskId: expiredLease, videoId: busy, type: 'claimed', invocationId: 'inv-b', at: at(-70) });
  const oldestReady = await insertTask(q, { videoId: busy, kind: 'render', sceneIndex: 2, status: 'ready', runAt: at(-90) });
  await insertTask(q, { videoId: busy, kind: 'render', sceneIndex: 3, status: 'ready', runAt: at(-30) });
  await insertTask(q, { videoId: busy, kind: 'render', sceneIndex: 4, status: 'ready', runAt: at(60) });

  const crPlan = await insertTask(q, { videoId: completedRecent, kind: 'plan', status: 'done' });
  const crRender = await insertTask(q, { videoId: completedRecent, kind: 'render', status: 'done' });
  await insertTask(q, { videoId: completedRecent, kind: 'compose', status: 'done' });
  const cdPlan = await insertTask(q, { videoId: completedDay, kind: 'plan', status: 'done' });
  const cdRender = await insertTask(q, { videoId: completedDay, kind: 'render', status: 'done' });
  await insertTask(q, { videoId: completedDay, kind: 'compose', status: 'done' });
  const frPlan = await insertTask(q, { videoId: failedRecent, kind: 'plan', status: 'done' });
  await insertTask(q, { videoId: failedRecent, kind: 'render', sceneIndex: 0, status: 'cancelled' });
  const deadRender = await insertTask(q, {
    videoId: failedRecent, kind: 'render', sceneIndex: 1, status: 'dead', attempts: 3,
    lastErrorCode: 'render_failed', lastError: 'ffmpeg exploded', updatedAt: at(-1800),
  });
  await insertEvent(q, { taskId: deadRender, videoId: failedRecent, type: 'failed', invocationId: 'inv-f', at: at(-1800) });
  const deadWebhook = await insertTask(q, {
    videoId: webhookVideo, kind: 'webhook', ref: 'evt-1', status: 'dead', attempts: 8,
    lastErrorCode: 'http_500', lastError: 'receiver said 500', updatedAt: at(-6 * 3600),
  });
  await insertEvent(q, { taskId: deadWebhook, videoId: webhookVideo, type: 'failed', invocationId: 'inv-w', at: at(-6 * 3600) });

  await insertStep(q, { taskId: crPlan, videoId: completedRecent, kind: 'plan', invocationId: 'inv-1', end: at(-600), seconds: 1 });
  await insertStep(q, { taskId: cdPlan, videoId: completedDay, kind: 'plan', invocationId: 'inv-2', end: at(-2 * 3600), seconds: 2 });
  await insertStep(q, { taskId: busyPlan, videoId: busy, kind: 'plan', invocationId: 'inv-3', end: at(-3 * 3600), seconds: 3 });
  await insertStep(q, { taskId: frPlan, videoId: failedRecent, kind: 'plan', invocationId: 'inv-4', end: at(-4 * 3600), seconds: 4 });
  await insertStep(q, { taskId: cdPlan, videoId: completedDay, kind: 'plan', invocationId: 'inv-ancient', end: at(-25 * 3600), seconds: 100 });
  // A lost first attempt: its step_started must not pair with the next invocation's completion.
  await insertEvent(q, { taskId: cdRender, videoId: completedDay, type: 'step_started', invocationId: 'inv-x', at: at(-3 * 3600) });
  await insertStep(q, { taskId: cdRender, videoId: completedDay, kind: 'render', invocationId: 'inv-y', end: at(-2 * 3600 + 10), seconds: 10 });
  await insertStep(q, { taskId: crRender, videoId: completedRecent, kind: 'render', invocationId: 'inv-5', end: at(-1800), seconds: 20 });

  await q.query("insert into owners (id, balance) values ('owner-a', 100)");
  await ledger(q, null, 'grant', 0, 100);
  await ledger(q, completedRecent, 'reserve', 0, -10);
  await ledger(q, completedRecent, 'capture', 0, 0);
  await ledger(q, completedDay, 'reserve', 0, -7);
  await ledger(q, completedDay, 'capture', 0, 0);
  await ledger(q, failedRecent, 'reserve', 0, -5);
  await ledger(q, failedRecent, 'release', 0, 5);
  await ledger(q, webhookVideo, 'reserve', 0, -3);
  await ledger(q, webhookVideo, 'release', 0, 3);
  await ledger(q, webhookVideo, 'reserve', 1, -4);
  await ledger(q, webhookVideo, 'capture', 1, 0);
  await q.query(
    `insert into usage_items (video_id, task_id, item, model, quantity, cost_usd)
     values ($1::uuid, $2::bigint, 'images', 'gpt-image-1', 2, 0.25), ($1::uuid, $2::bigint, 'tts_characters', 'tts', 100, 0.125)`,
    [completedRecent, crRender],
  );

  return { busy, failedRecent, failedOld, oldestReady, activeLease, expiredLease, deadRender, deadWebhook };
}
