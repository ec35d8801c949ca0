// After a cancel: stop the remote jobs (Runway) its steps had started, so nothing keeps billing.
import type { Providers } from '@/lib/providers';

export interface RemoteJobs {
  motion: string;
  remoteJobs: Record<string, unknown>[];
}

export async function cancelRemoteJobs(providers: Providers, jobs: RemoteJobs): Promise<void> {
  if (jobs.remoteJobs.length === 0) return;
  const engine = providers.motion(jobs.motion);
  await Promise.all(jobs.remoteJobs.map((job) => engine.cancelRemote?.(job)));
}
