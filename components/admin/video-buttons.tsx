'use client';

import type { RequeueResult } from '@/lib/admin/types';
import { ActionButton } from './action-button';
import { plural } from './admin-format';

interface ControlAnswer {
  id: string;
  status: string;
  stoppedTasks?: number;
  requeued?: { kind: string; sceneIndex: number | null }[];
}

const videoUrl = (id: string, action: 'retry' | 'cancel') => `/api/admin/videos/${encodeURIComponent(id)}/${action}`;

export function RetryVideoButton({ videoId }: { videoId: string }) {
  return (
    <ActionButton<ControlAnswer>
      label="Retry video" busyLabel="Retrying…" url={videoUrl(videoId, 'retry')}
      describe={(r) => `${plural(r.requeued?.length ?? 0, 'step')} re-queued; the video is ${r.status}.`}
    />
  );
}

export function CancelVideoButton({ videoId }: { videoId: string }) {
  return (
    <ActionButton<ControlAnswer>
      label="Cancel video" busyLabel="Cancelling…" url={videoUrl(videoId, 'cancel')}
      confirm="Stop this video for its owner? Running steps abort."
      describe={(r) => `Cancelled; ${plural(r.stoppedTasks ?? 0, 'step')} stopped.`}
    />
  );
}

export function describeRequeue(r: RequeueResult): string {
  if (r.videos.length === 0) return 'There were no dead tasks.';
  const resumed = r.videos.filter((v) => v.resumed).length;
  const parts = [`${plural(r.requeued, 'task')} back in the queue`];
  if (resumed > 0) parts.push(`${plural(resumed, 'failed video')} resumed`);
  if (r.skipped > 0) parts.push(`${plural(r.skipped, 'dead step')} left alone (cancelled videos)`);
  return `${parts.join('; ')}.`;
}

/** Re-queues dead tasks: one video's, or (without videoId) every dead task, after a confirmation. */
export function RequeueDeadButton({ videoId }: { videoId?: string }) {
  return (
    <ActionButton<RequeueResult>
      label={videoId ? 'Re-queue dead' : 'Re-queue all dead tasks'}
      busyLabel="Re-queueing…"
      url="/api/admin/tasks/requeue-dead"
      body={videoId ? { videoId } : undefined}
      confirm={videoId ? undefined : 'Put every dead task back in the queue? Failed videos resume and may spend again.'}
      describe={describeRequeue}
    />
  );
}
