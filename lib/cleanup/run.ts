// Daily housekeeping: reviews left open past REVIEW_TTL_HOURS (the video is cancelled, its credits
// released), expired scene intermediates, orphaned objects, stale temp dirs, interrupted uploads, and
// owners with nothing left to run in the claim's rotation (lib/queue/owners.ts). Never touches an
// in-flight video's files (queued/planning/awaiting_review/rendering/composing, or any task running),
// whatever their age.
//
// What expires: a completed video keeps its MP4, poster.jpg and captions.vtt, and loses its scene
// clips, images and narration (its scenes' clip_key is cleared first: see forgetExpiredClips). A failed or cancelled video
// loses only images and narration: retry keeps rendered scenes and compose reuses their clips
// (lib/videos/control.ts), so its clips stay; a retry after the retention re-makes (and re-pays)
// the images and narration of the scenes still to render.
//
// Overlapping runs (Vercel Cron may deliver twice; the cron and a local timer may meet) need no
// run-wide lock. A session advisory lock would need one connection for the whole run, which the
// pooled Neon endpoint does not give; a transaction-scoped one would keep a transaction open across
// minutes of storage calls. Instead every unit of work (one video's prefix, the loose keys) runs in
// its own short transaction holding that unit's locks (units.ts), and re-reads its objects under
// them, so two runs split the work and each object is removed and counted once. Temp dirs are
// claimed by rename (temp-dirs.ts). Every deletion is idempotent, so a run killed midway is simply
// finished by the next one.
import os from 'node:os';
import { pruneExpiredLimits } from '@/lib/limits/quota';
import { log } from '@/lib/log';
import { pruneIdleQueueOwners } from '@/lib/queue/owners';
import { expireReviews } from '@/lib/videos/control';
import { isLocalStorage } from '@/lib/storage/local';
import { planCleanup, type Unit } from './plan';
import { activeVideoIds } from './queries';
import { messageOf, ReportBuilder } from './report';
import { sweepLocalStore } from './store-sweep';
import { sweepTempDirs } from './temp-dirs';
import type { CleanupDeps, CleanupReport } from './types';
import { runUnit } from './units';

const HOUR_MS = 3600_000;
/** Orphans, stray keys and interrupted uploads younger than this may be a write in progress. */
const GRACE_MS = HOUR_MS;
/** More orphaned videos than live ones (and more than this) means a store and a database that do not belong together. */
const ORPHAN_GUARD_MIN = 20;

export async function runCleanup(deps: CleanupDeps): Promise<CleanupReport> {
  const started = performance.now();
  const now = deps.now();
  const cutoff = new Date(now.getTime() - deps.retention.intermediatesDays * 24 * HOUR_MS);
  const graceCutoff = new Date(now.getTime() - GRACE_MS);
  const report = new ReportBuilder();
  const local = isLocalStorage(deps.storage) ? deps.storage : null;

  // First, so that a video whose review expires now is no longer in flight when files are planned.
  const reviewCutoff = new Date(now.getTime() - deps.retention.reviewTtlHours * HOUR_MS);
  const expired = await expireReviews(deps.db, reviewCutoff, now, deps.webhookAttempts ?? 8).catch((err: unknown) => {
    report.warn(`review expiry failed: ${messageOf(err)}`);
    return [];
  });
  report.expiredReviews(expired.length);

  const active = await activeVideoIds(deps.db);
  // Only the local store is ours alone; a Blob store may hold other apps' files outside videos/.
  const plan = await planCleanup(deps.db, deps.storage, { cutoff, active, looseOutsideVideos: local !== null });
  if (plan.foreignKeys > 0) report.warn(`objects outside videos/ left alone, as the Blob store may be shared: ${plan.foreignKeys}`);
  let units: Unit[] = plan.units;
  const orphans = units.filter((u) => u.kind === 'orphan').length;
  if (orphans > ORPHAN_GUARD_MIN && orphans > plan.liveVideos) {
    report.warn(`${orphans} stored videos have no row and only ${plan.liveVideos} do: is DATABASE_URL the store's database? Orphans were kept`);
    units = units.filter((u) => u.kind !== 'orphan');
  }
  const ctx = { db: deps.db, storage: deps.storage, now, cutoff, graceCutoff, report };
  for (const unit of units) {
    await runUnit(ctx, unit).catch((err: unknown) => report.warn(`cleanup unit ${describe(unit)} failed: ${messageOf(err)}`));
  }

  if (local) {
    const skip = new Set([...active].map((id) => `videos/${id}/`));
    await sweepLocalStore({ db: deps.db, root: local.root, olderThan: graceCutoff, skip, report })
      .catch((err: unknown) => report.warn(`local store sweep failed: ${messageOf(err)}`));
  }
  await sweepTempDirs({
    root: deps.tmpRoot ?? os.tmpdir(),
    now,
    olderThanHours: deps.retention.tempFilesHours,
    protect: [...(local ? [local.root] : []), process.cwd()],
    report,
  }).catch((err: unknown) => report.warn(`temp dir sweep failed: ${messageOf(err)}`));

  const owners = await pruneIdleQueueOwners(deps.db).catch((err: unknown) => {
    report.warn(`queue rotation prune failed: ${messageOf(err)}`);
    return null;
  });
  if (owners?.unsettled) report.warn(`queue rotation: ${owners.unsettled} transactions outlived the prune's wait; the next run restores their owners`);
  report.idleQueueOwners(owners?.removed ?? 0);
  // Per-client limit rows whose window ended: a take would reset them anyway, so they only take room.
  const expiredLimits = await pruneExpiredLimits(deps.db, now).catch((err: unknown) => {
    report.warn(`client limit prune failed: ${messageOf(err)}`);
    return 0;
  });

  const result = report.finish(plan.skippedActive, Math.round(performance.now() - started));
  log.info('cleanup finished', { ...result, keys: result.keys.length, expiredLimits });
  return result;
}

function describe(unit: Unit): string {
  return unit.kind === 'loose' ? `loose (${unit.keys.length} keys)` : `${unit.kind} ${unit.videoId}`;
}
