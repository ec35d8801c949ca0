// The operator actions behind POST /api/admin/..., each audited in the event log.
import { workerDeps, type App } from '@/lib/app';
import { resumeSteps } from '@/lib/pipeline/resume';
import { runInvocation } from '@/lib/pipeline/worker';
import { audited } from './audit';
import { requeueDeadTasks } from './requeue';
import type { ProcessNextResult, RequeueResult } from './types';
import { cancelRemoteJobs } from '@/lib/videos/cancel-remote';
import { adminCancelVideo, adminRetryVideo, ownerOf, type AdminCancelResult, type AdminRetryResult } from './videos';

type Defer = (fn: () => Promise<void>) => void;

/** Work went back in the queue: start invocations for it, as the owner's retry route does. */
function kickFor(app: App, defer: Defer, requeued: number, traceparent?: string | null): void {
  if (requeued > 0) defer(() => app.kicker.kick(Math.min(requeued, app.config.concurrency), traceparent));
}

export async function retryAction(app: App, videoId: string, defer: Defer): Promise<Omit<AdminRetryResult, 'traceparent'>> {
  const { traceparent, ...r } = await audited(app, { action: 'retry_video', videoId },
    () => adminRetryVideo(app.db, videoId, app.now(), resumeSteps(app.policies), app.policies.webhook.maxAttempts),
    (r) => ({ result: { status: r.status, requeued: r.requeued.length } }));
  kickFor(app, defer, r.requeued.length, traceparent);
  return r;
}

export async function cancelAction(app: App, videoId: string, defer: Defer): Promise<AdminCancelResult> {
  const { remoteJobs, motion, ...result } = await audited(app, { action: 'cancel_video', videoId },
    () => adminCancelVideo(app.db, videoId, app.now(), app.policies.webhook.maxAttempts),
    (r) => ({ result: { status: r.status, stoppedTasks: r.stoppedTasks } }));
  if (remoteJobs.length > 0) defer(() => cancelRemoteJobs(app.providers, { motion, remoteJobs }));
  return result;
}

/** All dead tasks, or one video's (404 if there is no such video). */
export async function requeueDeadAction(app: App, videoId: string | null, defer: Defer): Promise<RequeueResult> {
  const result = await audited(app, { action: 'requeue_dead', videoId },
    async () => {
      if (videoId) await ownerOf(app.db, videoId);
      return requeueDeadTasks(app.db, {
        videoId: videoId ?? undefined, now: app.now(), resume: resumeSteps(app.policies),
      });
    },
    (r) => ({ result: { requeued: r.requeued, skipped: r.skipped, videos: r.videos.length } }));
  kickFor(app, defer, result.requeued);
  return result;
}

/** The manual queue trigger: one invocation, exactly as cron or a kick would run it. */
export function processNextAction(app: App, defer: Defer): Promise<ProcessNextResult> {
  return audited(app, { action: 'process_next', videoId: null },
    () => runInvocation(workerDeps(app), 'manual', defer),
    (r) => ({
      videoId: r.processed?.videoId ?? null,
      taskId: r.processed?.taskId ?? null,
      invocationId: r.invocationId,
      result: r.processed
        ? { taskId: r.processed.taskId, step: r.processed.step, sceneIndex: r.processed.sceneIndex,
            outcome: r.processed.outcome, ms: r.processed.ms }
        : { processed: null },
    }));
}
