// What survives between attempts of one scene's motion step: the id of the Runway job already
// paid for. Read defensively (it comes back from the database), but any record carrying a task
// id counts as a job, because a second job is the one mistake that costs money.
import { z } from 'zod';
import type { Checkpoint } from '@/lib/providers/types';
import type { RunwayDuration } from './schemas';

const savedJobSchema = z.object({
  taskId: z.string().min(1),
  /** When the job was created (ms since epoch); missing means no wait limit can be applied. */
  createdAt: z.number().optional().catch(undefined),
  /** The clip length asked for, which is what Runway bills. */
  duration: z.union([z.literal(5), z.literal(10)]).optional().catch(undefined),
});
export type SavedJob = z.infer<typeof savedJobSchema>;

export function readSavedJob(checkpoint: Checkpoint): SavedJob | null {
  const parsed = savedJobSchema.safeParse(checkpoint.get());
  return parsed.success ? parsed.data : null;
}

/** Forget the job, so the next attempt starts a fresh one; only for jobs that can no longer deliver. */
export function forgetJob(checkpoint: Checkpoint): Promise<void> {
  return checkpoint.save({});
}

// gen4_turbo makes only 5 or 10 s clips; the mux fits the picture to the narration's exact length.
export function clipDuration(audioDurationMs: number): RunwayDuration {
  return audioDurationMs <= 5_000 ? 5 : 10;
}
