// What a cleanup run needs and what it answers. Everything time-dependent reads the injected clock.
import type { Db } from '@/lib/db/types';
import type { Storage } from '@/lib/storage/types';

export interface Retention {
  /** Scene intermediates of finished videos are kept this long after the video finished (default 7). */
  intermediatesDays: number;
  /** cueframe-* work dirs in the temp dir untouched this long are leftovers of killed invocations (default 6). */
  tempFilesHours: number;
  /** A video awaiting review this long is cancelled and its credits released (REVIEW_TTL_HOURS, default 24). */
  reviewTtlHours: number;
}

export interface CleanupDeps {
  db: Db;
  storage: Storage;
  now: () => Date;
  retention: Retention;
  /** Delivery attempts for the `video.cancelled` events of expired reviews (the webhook kind's policy; 8 if unset, as declared). */
  webhookAttempts?: number;
  /** Where work dirs live; os.tmpdir() unless a test points elsewhere. */
  tmpRoot?: string;
}

export interface CleanupReport {
  removed: {
    /** Scene clips, images and narration of videos past their retention. */
    intermediates: number;
    /** Objects no video row references: deleted videos, and keys outside the known layout. */
    orphans: number;
    /** Stale cueframe-* work dirs (and files) in the temp dir. */
    tempFiles: number;
    /** Local store only: interrupted put() temp files and half-written objects, older than an hour. */
    staleUploads: number;
  };
  bytesFreed: number;
  /** Owners with nothing ready or running, taken out of the claim's rotation (queue_owners). */
  idleQueueOwners: number;
  /** Videos cancelled because their review stayed open past REVIEW_TTL_HOURS. */
  expiredReviews: number;
  /** The first 100 storage keys removed. */
  keys: string[];
  /** Videos left alone because they are in flight (queued/planning/rendering/composing or a running task). */
  skippedActive: number;
  durationMs: number;
  /** Work that was skipped or failed; empty on a clean run. Failed deletions are retried next run. */
  warnings: string[];
}

export type Category = keyof CleanupReport['removed'];
