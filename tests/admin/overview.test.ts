import { beforeEach, describe, expect, it } from 'vitest';
import { GET as OVERVIEW } from '@/app/api/admin/overview/route';
import type { AdminOverview } from '@/lib/admin/types';
import { call } from '../helpers/http';
import { ADMIN_TOKEN, at, insertEvent, insertStep, insertVideo, NOW, useAdminApp } from './seed';
import { seedScenario, type Scenario } from './scenario';

const admin = useAdminApp();

async function overview(): Promise<AdminOverview> {
  const res = await call(OVERVIEW, { url: '/api/admin/overview', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.json();
}


describe('GET /api/admin/overview', () => {
  it('shows zeros, no oldest task and no spend on an empty database', async () => {
    const o = await overview();
    expect(o.queue).toEqual({ ready: 0, running: 0, done: 0, dead: 0, cancelled: 0 });
    expect(o.oldestReady).toBeNull();
    expect(o.running).toEqual([]);
    expect(o.failures).toEqual({ deadTasks: [], deadTaskCount: 0, failedVideos: [], failedVideoCount: 0 });
    const zero = { hour: { completed: 0, failed: 0 }, day: { completed: 0, failed: 0 } };
    expect(o.throughput).toEqual({ tasks: zero, videos: zero });
    expect(o.steps).toEqual([]);
    expect(o.spend).toEqual({ credits: 0, usd: 0 });
    expect(o.awaitingReview).toEqual({ count: 0, oldestSeconds: null });
    expect(o.generatedAt).toBe(NOW.toISOString());
  });

  describe('against seeded rows', () => {
    let s: Scenario;
    let o: AdminOverview;
    beforeEach(async () => {
      s = await seedScenario(admin.db);
      o = await overview();
    });

    it('counts the queue by state, and ages the oldest claimable task from its run_at', () => {
      expect(o.queue).toEqual({ ready: 3, running: 2, done: 8, dead: 2, cancelled: 1 });
      // The task due in the future is not claimable yet, so it is not the oldest.
      expect(o.oldestReady).toEqual({ taskId: s.oldestReady, videoId: s.busy, kind: 'render', ageSeconds: 90 });
    });

    it('lists running tasks with the current holder\'s lease age, expiry and invocation', () => {
      expect(o.running).toEqual([
        {
          id: s.expiredLease, videoId: s.busy, kind: 'render', sceneIndex: 1, attempt: 1, invocationId: 'inv-b',
          claimedAt: at(-70).toISOString(), leaseAgeSeconds: 70, leaseExpiresInSeconds: -5,
        },
        {
          id: s.activeLease, videoId: s.busy, kind: 'render', sceneIndex: 0, attempt: 2, invocationId: 'inv-a',
          claimedAt: at(-20).toISOString(), leaseAgeSeconds: 20, leaseExpiresInSeconds: 30,
        },
      ]);
    });

    it('shows recent failures: dead tasks with their errors and failed videos, newest first', () => {
      expect(o.failures.deadTaskCount).toBe(2);
      expect(o.failures.deadTasks.map((d) => [d.id, d.kind, d.sceneIndex, d.attempts, d.errorCode, d.error, d.at])).toEqual([
        [s.deadRender, 'render', 1, 3, 'render_failed', 'ffmpeg exploded', at(-1800).toISOString()],
        [s.deadWebhook, 'webhook', null, 8, 'http_500', 'receiver said 500', at(-6 * 3600).toISOString()],
      ]);
      expect(o.failures.failedVideoCount).toBe(2);
      expect(o.failures.failedVideos.map((v) => [v.id, v.errorCode, v.error, v.at])).toEqual([
        [s.failedRecent, 'render_failed', 'Scene 2 could not be rendered.', at(-1800).toISOString()],
        [s.failedOld, 'plan_failed', 'No script.', at(-2 * 24 * 3600).toISOString()],
      ]);
    });

    it('counts completed and failed tasks and videos over the last hour and day', () => {
      expect(o.throughput.tasks).toEqual({ hour: { completed: 2, failed: 1 }, day: { completed: 6, failed: 2 } });
      expect(o.throughput.videos).toEqual({ hour: { completed: 1, failed: 1 }, day: { completed: 2, failed: 1 } });
    });

    it('computes p50/p95 per step kind from step_started → completed of the same invocation, last 24 h', () => {
      // plan: 1, 2, 3, 4 s → p50 2.5, p95 3 + 0.85 × 1; render: 10, 20 s → p50 15, p95 19.5.
      expect(o.steps.map((x) => ({ ...x, p50Seconds: round(x.p50Seconds), p95Seconds: round(x.p95Seconds) }))).toEqual([
        { kind: 'plan', count: 4, p50Seconds: 2.5, p95Seconds: 3.85 },
        { kind: 'render', count: 2, p50Seconds: 15, p95Seconds: 19.5 },
      ]);
    });

    it('sums credits captured (a capture spends its reservation) and the estimated USD', () => {
      expect(o.spend).toEqual({ credits: 21, usd: 0.375 });
    });
  });

  it('falls back to the step recorded in the event when the task row is gone', async () => {
    const v = await insertVideo(admin.db, { status: 'completed', completedAt: at(-60) });
    await insertStep(admin.db, { taskId: '999999', videoId: v, kind: 'compose', invocationId: 'inv-z', end: at(-60), seconds: 7 });
    await insertEvent(admin.db, { taskId: '999999', videoId: v, type: 'lease_lost', at: at(-30), invocationId: 'inv-z' });
    expect((await overview()).steps).toEqual([{ kind: 'compose', count: 1, p50Seconds: 7, p95Seconds: 7 }]);
  });
});

const round = (x: number) => Math.round(x * 1e6) / 1e6;
