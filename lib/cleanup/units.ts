// Carries out one unit of a plan inside a short transaction that holds the unit's locks. Objects are
// re-listed under the lock, so a unit another run already finished finds nothing and counts nothing.
import type { Db } from '@/lib/db/types';
import type { Storage, StoredObject } from '@/lib/storage/types';
import { classifyKey, videoPrefix } from './layout';
import { collect, type Unit } from './plan';
import { clipsReferenced, forgetExpiredClips, forgetExpiredImages, lockVideo, tryLockUnit, videoExists } from './queries';
import { messageOf, type ReportBuilder } from './report';
import type { Category } from './types';

export interface UnitContext {
  db: Db;
  storage: Storage;
  now: Date;
  /** Videos that finished before this have expired intermediates. */
  cutoff: Date;
  /** Orphans and stray keys uploaded after this are left for a later run (an in-flight write). */
  graceCutoff: Date;
  report: ReportBuilder;
}

interface Doomed {
  object: StoredObject;
  category: Category;
}

const DEL_BATCH = 100;

export async function runUnit(ctx: UnitContext, unit: Unit): Promise<void> {
  if (unit.kind === 'video') {
    await forgetExpiredClips(ctx.db, unit.videoId, ctx.cutoff, ctx.now);
    await forgetExpiredImages(ctx.db, unit.videoId, ctx.cutoff, ctx.now);
  }
  // Deletes files inside the transaction, to hold the unit's locks while it does. Should the body run
  // again after a deadlock (lib/db/retry.ts), it re-lists and finds what it removed gone: nothing is
  // removed or counted twice.
  await ctx.db.transaction(async (tx) => {
    if (!(await tryLockUnit(tx, unit.kind === 'loose' ? 'loose' : unit.videoId))) return; // another run has it
    if (unit.kind === 'loose') return remove(ctx, await looseDoomed(ctx, unit.keys), 'loose keys');
    const prefix = videoPrefix(unit.videoId);
    if (unit.kind === 'orphan') {
      if (await videoExists(tx, unit.videoId)) return;
      const doomed = (await collect(ctx.storage, prefix)).filter((o) => isOld(ctx, o));
      return remove(ctx, doomed.map((object) => ({ object, category: 'orphans' })), prefix);
    }
    const state = await lockVideo(tx, unit.videoId, ctx.cutoff);
    if (!state || state.active) return; // a retry or cancel holds the row, or it is in flight again
    const expired = {
      // Only clips nothing points at: a scene that still does keeps its clip until a later run.
      clips: state.expiry === 'all' && !(await clipsReferenced(tx, unit.videoId)),
      inputs: state.expiry !== 'none',
    };
    const doomed = (await collect(ctx.storage, prefix)).flatMap((object) => pick(ctx, object, expired));
    await remove(ctx, doomed, prefix);
  });
}

function pick(ctx: UnitContext, object: StoredObject, expired: { clips: boolean; inputs: boolean }): Doomed[] {
  const c = classifyKey(object.key);
  if (c.kind !== 'video') return [];
  if (c.part === 'stray') return isOld(ctx, object) ? [{ object, category: 'orphans' }] : [];
  const gone = (c.part === 'clip' && expired.clips) || (c.part === 'input' && expired.inputs);
  return gone ? [{ object, category: 'intermediates' }] : [];
}

async function looseDoomed(ctx: UnitContext, keys: string[]): Promise<Doomed[]> {
  const doomed: Doomed[] = [];
  for (const key of keys) {
    const object = await ctx.storage.head(key); // gone if another run took it first
    if (object && isOld(ctx, object)) doomed.push({ object, category: 'orphans' });
  }
  return doomed;
}

function isOld(ctx: UnitContext, object: StoredObject): boolean {
  return object.uploadedAt.getTime() < ctx.graceCutoff.getTime();
}

/** Never throws: a failed batch becomes a warning, and whatever is left is found again next run. */
async function remove(ctx: UnitContext, doomed: Doomed[], where: string): Promise<void> {
  for (let i = 0; i < doomed.length; i += DEL_BATCH) {
    const batch = doomed.slice(i, i + DEL_BATCH);
    try {
      await ctx.storage.del(batch.map((d) => d.object.key));
    } catch (err) {
      ctx.report.warn(`could not delete under ${where}: ${messageOf(err)}`);
      return;
    }
    for (const d of batch) ctx.report.add(d.category, d.object.size, d.object.key);
  }
}
