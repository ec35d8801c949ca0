// The admin components rendered to HTML: phone-friendly labelled cells, escaped error text, and the
// one-line summaries that actions show inline.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatAge, formatLease } from '@/components/admin/admin-format';
import { DeadTasksTable } from '@/components/admin/dead-tasks-table';
import { describeProcessed } from '@/components/admin/process-next';
import { QueueSummary } from '@/components/admin/queue-summary';
import { RunningTable } from '@/components/admin/running-table';
import { describeRequeue } from '@/components/admin/video-buttons';
import type { AdminOverview } from '@/lib/admin/types';

const video = '6f1c2a9e-1111-4000-8000-000000000001';

describe('admin components', () => {
  it('labels every cell for the phone layout and flags expired leases', () => {
    const html = renderToStaticMarkup(<RunningTable tasks={[{
      id: '42', videoId: video, kind: 'render', sceneIndex: 1, attempt: 2, invocationId: 'cron:host-1:abc',
      claimedAt: new Date(0).toISOString(), leaseAgeSeconds: 70, leaseExpiresInSeconds: -5,
    }]} />);
    for (const label of ['Task', 'Step', 'Video', 'Attempt', 'Lease age', 'Lease', 'Invocation', 'Actions']) {
      expect(html).toContain(`data-label="${label}"`);
    }
    expect(html).toContain('admin-row-warn');
    expect(html).toContain('render 2');
    expect(html).toContain('1 min 10 s');
    expect(html).toContain('expired 5 s ago');
    expect(html).toContain('cron:host-1:abc');
    expect(html).toContain('Cancel video');
  });

  it('escapes error text from the database', () => {
    const html = renderToStaticMarkup(<DeadTasksTable total={3} tasks={[{
      id: '7', videoId: video, kind: 'plan', sceneIndex: null, attempts: 5, errorCode: 'bad<code>',
      error: '<img src=x onerror=alert(1)>', at: new Date(0).toISOString(),
    }]} />);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Showing the newest 1 of 3.');
    expect(html).toContain('Re-queue all dead tasks');
  });

  it('shows queue depth and an empty queue plainly', () => {
    const overview: AdminOverview = {
      generatedAt: new Date(0).toISOString(),
      queue: { ready: 3, running: 2, done: 8, dead: 2, cancelled: 1 },
      oldestReady: null, running: [],
      failures: { deadTasks: [], deadTaskCount: 0, failedVideos: [], failedVideoCount: 0 },
      throughput: {
        tasks: { hour: { completed: 0, failed: 0 }, day: { completed: 0, failed: 0 } },
        videos: { hour: { completed: 0, failed: 0 }, day: { completed: 0, failed: 0 } },
      },
      steps: [], spend: { credits: 21, usd: 0.375 }, awaitingReview: { count: 2, oldestSeconds: 3_600 },
    };
    const html = renderToStaticMarkup(<QueueSummary overview={overview} />);
    expect(html).toContain('Nothing is waiting');
    expect(html).toContain('$0.375');
    expect(html).toMatch(/Dead<\/dt><dd><span class="admin-stat-value">2</);
    expect(html).toMatch(/Awaiting review<\/dt><dd><span class="admin-stat-value">2<\/span><span class="admin-stat-detail">oldest waiting 1 h/);
  });

  it('summarises action results in a sentence', () => {
    expect(describeProcessed({ invocationId: 'manual:x:y', processed: null, kicked: 0 })).toBe('Queue empty: no task was ready.');
    expect(describeProcessed({
      invocationId: 'manual:x:y', kicked: 1,
      processed: { taskId: '9', videoId: video, step: 'render', sceneIndex: 0, attempt: 1, outcome: 'completed', ms: 1234 },
    })).toBe('Task #9 (render 1, video 6f1c2a9e): completed in 1,234 ms.');
    expect(describeRequeue({ requeued: 0, skipped: 0, videos: [] })).toBe('There were no dead tasks.');
    expect(describeRequeue({
      requeued: 3, skipped: 1,
      videos: [
        { videoId: video, requeued: 3, resumed: true, skipped: 0, reason: null },
        { videoId: video, requeued: 0, resumed: false, skipped: 1, reason: 'video_cancelled' },
      ],
    })).toBe('3 tasks back in the queue; 1 failed video resumed; 1 dead step left alone (cancelled videos).');
    expect([formatAge(2.46), formatAge(90), formatAge(7500), formatAge(190_000), formatLease(30)])
      .toEqual(['2.5 s', '1 min 30 s', '2 h 5 min', '2 d 4 h', 'expires in 30 s']);
  });
});
