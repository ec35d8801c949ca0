// runCleanup on a real PostgreSQL and a real local store: exactly the right files go, nothing else.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getVideoView } from '@/lib/videos/view';
import { urlSigner } from '@/lib/videos/urls';
import { allKeys, exists, listKeys } from './seed';
import { useCleanupWorld } from './world';

const c = useCleanupWorld();

describe('runCleanup', () => {
  it('removes exactly the expired, orphaned and stale things, and reports them', async () => {
    await c.db.query("insert into queue_owners (owner_id) values ('gone-1'), ('gone-2')");
    const idle = await c.db.query<{ n: number }>(
      `select count(*)::int as n from queue_owners q
       where not exists (select 1 from tasks t where t.owner_id = q.owner_id and t.status in ('ready', 'running'))`);
    const report = await c.run();

    expect(await listKeys(c.w.storage)).toEqual(c.w.remaining);
    expect(report.removed).toEqual({ intermediates: 14, orphans: 12, tempFiles: 2, staleUploads: 2 });
    expect(report.bytesFreed).toBe(14 * 10 + 12 * 10 + c.w.temp.bytes + c.w.staleUploads.bytes);
    expect([...report.keys].sort()).toEqual([...c.w.removed.intermediates, ...c.w.removed.orphans].sort());
    expect(report.skippedActive).toBe(3); // queued, rendering, and the completed one with a running task
    expect(report.idleQueueOwners).toBe(idle.rows[0]!.n);
    expect(report.idleQueueOwners).toBeGreaterThanOrEqual(2);
    expect(report.warnings).toEqual([]);
    expect(report.durationMs).toBeGreaterThanOrEqual(0);

    for (const p of [...c.w.temp.removed, ...c.w.staleUploads.removed]) expect(await exists(p), p).toBe(false);
    for (const p of [...c.w.temp.kept, ...c.w.staleUploads.kept]) expect(await exists(p), p).toBe(true);
    // Emptied dirs go too; a kept video's dirs stay.
    expect(await exists(path.join(c.w.storage.root, 'videos', c.w.ids.deleted))).toBe(false);
    expect(await exists(path.join(c.w.storage.root, 'videos', c.w.ids.oldCompleted, 'scenes'))).toBe(false);
    expect(await exists(path.join(c.w.storage.root, 'videos', c.w.ids.oldFailed, 'scenes', '0.mp4'))).toBe(true);
  });

  it('keeps finals, clears clip_key only where clips went, and the status view still answers', async () => {
    await c.run();
    // Images go with every expired video's inputs: no scene's preview poster points at one any more.
    const imageKeys = async (id: string) =>
      (await c.db.query<{ image_key: string | null }>('select image_key from scenes where video_id = $1::uuid order by index', [id])).rows.map((r) => r.image_key);
    expect(await imageKeys(c.w.ids.oldCompleted)).toEqual([null, null]);
    expect(await imageKeys(c.w.ids.oldFailed)).toEqual([null, null]);
    expect(await imageKeys(c.w.ids.recentCompleted)).toEqual([0, 1].map((i) => `videos/${c.w.ids.recentCompleted}/scenes/${i}/image.png`));
    const failed = await getVideoView(c.db, 'owner-a', c.w.ids.oldFailed, urlSigner(c.w.storage, c.w.now, 3600));
    expect(failed.scenes.map((s) => [s.clipUrl !== null, s.posterUrl])).toEqual([[true, null], [true, null]]);
    const clipKeys = async (id: string) =>
      (await c.db.query<{ clip_key: string | null }>('select clip_key from scenes where video_id = $1::uuid order by index', [id])).rows.map((r) => r.clip_key);
    expect(await clipKeys(c.w.ids.oldCompleted)).toEqual([null, null]);
    expect(await clipKeys(c.w.ids.oldFailed)).toEqual(allKeys(c.w.ids.oldFailed).clips); // a retry's compose needs them
    expect(await clipKeys(c.w.ids.recentCompleted)).toEqual(allKeys(c.w.ids.recentCompleted).clips);

    const view = await getVideoView(c.db, 'owner-a', c.w.ids.oldCompleted, urlSigner(c.w.storage, c.w.now, 3600));
    expect(view.videoUrl).toMatch(/^\/api\/files\/videos\/.+\/topic\.mp4\?/);
    expect(view.posterUrl).not.toBeNull();
    expect(view.scenes.map((s) => s.clipUrl)).toEqual([null, null]);
    expect(view.scenes.map((s) => s.posterUrl)).toEqual([null, null]);
  });

  it('removes per-client limit rows whose window has ended, and keeps the current ones', async () => {
    const rows = [['generate', 'ended', -1], ['anon-grant', 'ended', -3600_000], ['generate', 'current', 1_000], ['anon-grant', 'current', 3600_000]] as const;
    for (const [policy, client, offsetMs] of rows) {
      await c.db.query('insert into client_limits (policy, client, resets_at, used) values ($1::text, $2::text, $3::timestamptz, 1)',
        [policy, client, new Date(c.w.now.getTime() + offsetMs)]);
    }
    const report = await c.run();
    expect(report.warnings).toEqual([]);
    expect((await c.db.query('select policy, client from client_limits order by policy, client')).rows).toEqual([
      { policy: 'anon-grant', client: 'current' },
      { policy: 'generate', client: 'current' },
    ]);
  });

  it('a second run removes nothing and reports zeros', async () => {
    await c.run();
    const again = await c.run();
    expect(again.removed).toEqual({ intermediates: 0, orphans: 0, tempFiles: 0, staleUploads: 0 });
    expect(again.bytesFreed).toBe(0);
    expect(again.idleQueueOwners).toBe(0);
    expect(again.keys).toEqual([]);
    expect(again.warnings).toEqual([]);
    expect(await listKeys(c.w.storage)).toEqual(c.w.remaining);
  });

  it('leaves a video alone while it is in flight, however old, and cleans it once it is not', async () => {
    await c.run();
    const queued = allKeys(c.w.ids.queuedOld);
    expect(await listKeys(c.w.storage, `videos/${c.w.ids.queuedOld}/`)).toEqual(
      [...queued.finals, ...queued.clips, ...queued.inputs, `videos/${c.w.ids.queuedOld}/new.bin`].sort(),
    );
    await c.db.query("update tasks set status = 'done' where status = 'running'");
    const later = await c.run();
    expect(later.removed.intermediates).toBe(6); // the completed video whose webhook was running
    expect(later.skippedActive).toBe(2);
    expect(await listKeys(c.w.storage, `videos/${c.w.ids.runningTask}/`)).toEqual(allKeys(c.w.ids.runningTask).finals.sort());
  });
});
