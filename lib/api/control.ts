// An owner's cancel and retry, one way for every caller: the JSON routes (app/api/video/[id]/cancel and
// /retry) and the video page's Server Action (app/actions/video.ts) both come here, so both stop remote
// jobs after answering and kick the queue with the video's trace in the same way.
import type { App } from '@/lib/app';
import { resumeSteps } from '@/lib/pipeline/resume';
import type { VideoStatus } from '@/lib/videos/types';
import { cancelRemoteJobs } from '@/lib/videos/cancel-remote';
import { cancelVideo, retryVideo } from '@/lib/videos/control';
import { afterResponse, kickAfterResponse } from './after';

type Deps = Pick<App, 'db' | 'now' | 'policies' | 'providers' | 'kicker' | 'config'>;

/** Stops the video (only if it is still in `ifStatus`, when given); remote jobs are stopped after the answer. */
export async function cancelForOwner(app: Deps, ownerId: string, id: string, ifStatus?: VideoStatus) {
  const { remoteJobs, motion, ...result } = await cancelVideo(app.db, ownerId, id, app.now(), app.policies.webhook.maxAttempts, ifStatus);
  // Remote jobs (Runway) are stopped after the answer, so the person is not kept waiting on them.
  if (remoteJobs.length > 0) afterResponse(() => cancelRemoteJobs(app.providers, { motion, remoteJobs }));
  return result;
}

/** Re-queues what failed or was cancelled, and starts invocations for it in the video's own trace. */
export async function retryForOwner(app: Deps, ownerId: string, id: string) {
  const { traceparent, ...result } = await retryVideo(app.db, ownerId, id, app.now(), resumeSteps(app.policies), app.policies.webhook.maxAttempts);
  kickAfterResponse(app.kicker, Math.min(result.requeued.length, app.config.concurrency), { traceparent });
  return result;
}
