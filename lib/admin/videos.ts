// Operators act on any video: look up its owner, then do exactly what the owner's own cancel and
// retry do (same transactions, same rules), so the admin page can never do something owners cannot.
import type { Db, Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { cancelVideo, retryVideo, type ResumeSteps } from '@/lib/videos/control';

export async function ownerOf(q: Queryable, videoId: string): Promise<string> {
  const r = await q.query<{ owner_id: string }>('select owner_id from videos where id = $1::uuid', [videoId]);
  const row = r.rows[0];
  if (!row) throw new AppError('not_found', 'No video with this id.');
  return row.owner_id;
}

export type AdminCancelResult = Omit<Awaited<ReturnType<typeof cancelVideo>>, 'remoteJobs' | 'motion'>;
export type AdminRetryResult = Awaited<ReturnType<typeof retryVideo>>;

export async function adminCancelVideo(db: Db, videoId: string, now: Date, webhookAttempts: number): Promise<Awaited<ReturnType<typeof cancelVideo>>> {
  return cancelVideo(db, await ownerOf(db, videoId), videoId, now, webhookAttempts);
}

export async function adminRetryVideo(db: Db, videoId: string, now: Date, resume: ResumeSteps, webhookAttempts?: number): Promise<AdminRetryResult> {
  return retryVideo(db, await ownerOf(db, videoId), videoId, now, resume, webhookAttempts);
}
