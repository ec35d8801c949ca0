// One pass over the whole store decides which units of work this run has. Nothing is deleted here:
// each unit re-reads its objects under its own lock (units.ts), so the plan may safely be stale.
import type { Queryable } from '@/lib/db/types';
import type { ListResult, Storage, StoredObject } from '@/lib/storage/types';
import { classifyKey, type Part } from './layout';
import { videoStates, type Expiry } from './queries';

export type Unit =
  /** A video with a row that is not in flight: its expired intermediates and stray keys. */
  | { kind: 'video'; videoId: string }
  /** videos/<id>/ with no row: the video was deleted. */
  | { kind: 'orphan'; videoId: string }
  /** Keys outside every videos/<uuid>/ prefix. */
  | { kind: 'loose'; keys: string[] };

export interface Plan {
  units: Unit[];
  /** Videos with stored files that were left alone because they are in flight. */
  skippedActive: number;
  /** Videos in the store that still have a row (for the mismatched-database guard in run.ts). */
  liveVideos: number;
  /** Loose keys outside videos/ that this store may not delete (see run.ts). */
  foreignKeys: number;
}

export async function planCleanup(
  db: Queryable,
  storage: Storage,
  opts: { cutoff: Date; active: Set<string>; looseOutsideVideos: boolean },
): Promise<Plan> {
  const parts = new Map<string, Set<Part>>();
  const loose: string[] = [];
  let foreignKeys = 0;
  for await (const object of listAll(storage, '')) {
    const c = classifyKey(object.key);
    if (c.kind === 'video') {
      const seen = parts.get(c.videoId) ?? new Set<Part>();
      parts.set(c.videoId, seen.add(c.part));
    } else if (opts.looseOutsideVideos || object.key.startsWith('videos/')) {
      loose.push(object.key);
    } else {
      foreignKeys += 1;
    }
  }
  const ids = [...parts.keys()];
  const candidates = ids.filter((id) => !opts.active.has(id));
  const states = await videoStates(db, candidates, opts.cutoff);
  const units: Unit[] = [];
  for (const id of candidates) {
    const state = states.get(id);
    if (!state) units.push({ kind: 'orphan', videoId: id });
    else if (!state.active && hasWork(state.expiry, parts.get(id)!)) units.push({ kind: 'video', videoId: id });
  }
  if (loose.length > 0) units.push({ kind: 'loose', keys: loose });
  const skippedActive = ids.length - candidates.length;
  return { units, skippedActive, liveVideos: states.size + skippedActive, foreignKeys };
}

function hasWork(expiry: Expiry, parts: Set<Part>): boolean {
  if (parts.has('stray')) return true;
  if (expiry === 'all') return parts.has('clip') || parts.has('input');
  return expiry === 'inputs' && parts.has('input');
}

/** Every object under a prefix, page by page, through the Storage interface's list(). */
export async function* listAll(storage: Storage, prefix: string): AsyncGenerator<StoredObject> {
  let cursor: string | null = null;
  do {
    const page: ListResult = await storage.list(prefix, cursor ? { cursor } : {});
    yield* page.objects;
    cursor = page.cursor;
  } while (cursor !== null);
}

export async function collect(storage: Storage, prefix: string): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  for await (const object of listAll(storage, prefix)) all.push(object);
  return all;
}
