// The SQL behind cleanup: which videos are in flight, what a stored video may lose, and the locks
// that let overlapping runs (two cron deliveries, the cron and the local timer) split the work.
import type { Queryable } from '@/lib/db/types';

/** 'all': completed past retention (clips and inputs go). 'inputs': failed/cancelled past retention. */
export type Expiry = 'none' | 'inputs' | 'all';

export interface VideoState {
  id: string;
  active: boolean;
  expiry: Expiry;
}

// In flight: any unfinished status, or a task still running (a failed video's parallel render, a webhook).
const IN_FLIGHT = `(v.status in ('queued', 'planning', 'awaiting_review', 'rendering', 'composing')
  or exists (select 1 from tasks t where t.video_id = v.id and t.status = 'running'))`;

const STATE = `select v.id::text as id, ${IN_FLIGHT} as active,
  case when v.status = 'completed' and v.completed_at < $2::timestamptz then 'all'
       when v.status in ('failed', 'cancelled') and coalesce(v.completed_at, v.updated_at) < $2::timestamptz then 'inputs'
       else 'none' end as expiry
  from videos v`;

const CHUNK = 1000;

export async function activeVideoIds(q: Queryable): Promise<Set<string>> {
  const r = await q.query<{ id: string }>(`select v.id::text as id from videos v where ${IN_FLIGHT}`);
  return new Set(r.rows.map((row) => row.id));
}

/** States of the given videos; ids with no row (deleted videos) are simply absent. */
export async function videoStates(q: Queryable, ids: string[], cutoff: Date): Promise<Map<string, VideoState>> {
  const states = new Map<string, VideoState>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const r = await q.query<VideoState>(`${STATE} where v.id = any($1::uuid[]) and v.deleted_at is null`, [ids.slice(i, i + CHUNK), cutoff]);
    for (const row of r.rows) states.set(row.id, row);
  }
  return states;
}

/**
 * Locks the video row until the transaction ends, or returns null if another transaction holds it
 * (another cleanup run, or a retry: retry waits for us, then re-makes whatever we removed).
 */
export async function lockVideo(tx: Queryable, id: string, cutoff: Date): Promise<VideoState | null> {
  const r = await tx.query<VideoState>(`${STATE} where v.id = $1::uuid and v.deleted_at is null for update of v skip locked`, [id, cutoff]);
  return r.rows[0] ?? null;
}

/**
 * A transaction-scoped advisory lock on one unit of cleanup work (a video id, or 'loose'). It is held
 * only while that unit is deleted, never for the whole run, so it needs no session and works through
 * the Neon pooler; a crashed run's locks vanish with its connection.
 */
export async function tryLockUnit(tx: Queryable, name: string): Promise<boolean> {
  const r = await tx.query<{ locked: boolean }>(
    `select pg_try_advisory_xact_lock(hashtext('cueframe.cleanup'), hashtext($1::text)) as locked`,
    [name],
  );
  return r.rows[0]?.locked === true;
}

export async function videoExists(tx: Queryable, id: string): Promise<boolean> {
  const r = await tx.query('select 1 from videos where id = $1::uuid and deleted_at is null', [id]);
  return r.rowCount > 0;
}

/**
 * Before a completed video's clips are deleted, its scenes stop pointing at them: the status route
 * signs every rendered scene's clip_key, and the local store refuses to sign a missing key. Committed
 * on its own, ahead of the deletion, so a run killed in between leaves clips nobody points at (the
 * next run deletes them), never a clip_key pointing at nothing. Completed is final, so no lock is needed.
 */
export async function forgetExpiredClips(q: Queryable, id: string, cutoff: Date, now: Date): Promise<void> {
  await q.query(
    `update scenes s set clip_key = null, updated_at = $3::timestamptz
     from videos v
     where v.id = s.video_id and s.video_id = $1::uuid and s.clip_key is not null
       and v.status = 'completed' and v.completed_at < $2::timestamptz
       and not exists (select 1 from tasks t where t.video_id = v.id and t.status = 'running')`,
    [id, cutoff, now],
  );
}

/**
 * Before a finished video's images are deleted (with its other inputs), its scenes stop pointing at
 * them, for the same reason as forgetExpiredClips: the status route signs each rendered scene's
 * image_key as the preview's poster frame. The expiry is STATE's: inputs go when the video finished
 * before the cutoff, whatever way it finished.
 */
export async function forgetExpiredImages(q: Queryable, id: string, cutoff: Date, now: Date): Promise<void> {
  await q.query(
    `update scenes s set image_key = null, updated_at = $3::timestamptz
     from videos v
     where v.id = s.video_id and s.video_id = $1::uuid and s.image_key is not null
       and ((v.status = 'completed' and v.completed_at < $2::timestamptz)
            or (v.status in ('failed', 'cancelled') and coalesce(v.completed_at, v.updated_at) < $2::timestamptz))
       and not exists (select 1 from tasks t where t.video_id = v.id and t.status = 'running')`,
    [id, cutoff, now],
  );
}

/** Whether any scene still points at a clip: then the clips must stay (see forgetExpiredClips). */
export async function clipsReferenced(q: Queryable, id: string): Promise<boolean> {
  const r = await q.query('select 1 from scenes where video_id = $1::uuid and clip_key is not null limit 1', [id]);
  return r.rowCount > 0;
}
