// How a job Runway gave up on is reported. Safety refusals are final (the same image and prompt
// would be refused again); anything else may work on a fresh job, so it is retried.
import { StepError } from '@/lib/steps/errors';
import type { RunwayTask } from './schemas';

export function failureError(task: Pick<RunwayTask, 'failure' | 'failureCode'>, scene: string): StepError {
  const reason = task.failure?.trim() || 'no reason given';
  if (task.failureCode?.startsWith('SAFETY')) {
    return new StepError('content_refused', `Runway declined to animate ${scene}: ${reason}`, { permanent: true });
  }
  return new StepError('provider_failed', `Runway could not animate ${scene} (${reason}); the next attempt starts a new job.`);
}
