// runCleanup on a real PostgreSQL and a real local store: exactly the right files go, nothing else.
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCleanup } from '@/lib/cleanup/run';
import { getVideoView } from '@/lib/videos/view';
import { urlSigner } from '@/lib/videos/urls';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { useTempDirs } from '../storage/temp-dir';
import { allKeys, exists, listKeys } from './seed';
import { buildWorld, type World } from './world';

const tempDir = useTempDirs();
const retention = { intermediatesDays: 7, tempFilesHours: 6 };
let t: TestDatabase;
let w: World;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db.query('truncate videos, tasks, task_events cascade');
  w = await buildWorld(t.db, await tempDir());
});

const run = () => runCleanup({ db: t.db, storage: w.storage, now: () => w.now, retention, tmpRoot: w.tmpRoot });

describe('runCleanup', () => {
  it('removes exactly the expired, orphaned and stale things, and reports them', async () => {
    const report = await run();

    expect(await listKeys(w.storage)).toEqual(w.remaining);
    expect(report.removed).toEqual({ intermediates: 14, orphans: 12, tempFiles: 2, staleUploads: 2 });
    expect(report.bytesFreed).toBe(14 * 10 + 12 * 10 + w.temp.bytes + w.staleUploads.bytes);
    expect([...report.keys].sort()).toEqual([...w.removed.intermediates, ...w.removed.orphans].sort());
    expect(report.skippedActive).toBe(3); // queued, rendering, and the completed one with a running task
    expect(report.warnings).toEqual([]);
    expect(report.durationMs).toBeGreaterThanOrEqual(0);

    for (const p of [...w.temp.removed, ...w.staleUploads.removed]) expect(await exists(p), p).toBe(false);
    for (const p of [...w.temp.kept, ...w.staleUploads.kept]) expect(await exists(p), p).toBe(true);
    // Emptied dirs go too; a kept video's dirs stay.
    expect(await exists(path.join(w.storage.root, 'videos', w.ids.deleted))).toBe(false);
    expect(await exists(path.join(w.storage.root, 'videos', w.ids.oldCompleted, 'scenes'))).toBe(false);
    expect(await exists(path.join(w.storage.root, 'videos', w.ids.oldFailed, 'scenes', '0.mp4'))).toBe(true);
  });

  it('keeps finals, clears clip_key only where clips went, and the status view still answers', async () => {
    await run();
    const clipKeys = async (id: string) =>
      (await t.db.query<{ clip_key: string | null }>('select clip_key from scenes where video_id = $1::uuid order by index', [id])).rows.map((r) => r.clip_key);
    expect(await clipKeys(w.ids.oldCompleted)).toEqual([null, null]);
    expect(await clipKeys(w.ids.oldFailed)).toEqual(allKeys(w.ids.oldFailed).clips); // a retry's compose needs them
    expect(await clipKeys(w.ids.recentCompleted)).toEqual(allKeys(w.ids.recentCompleted).clips);

    const view = await getVideoView(t.db, 'owner-a', w.ids.oldCompleted, urlSigner(w.storage, w.now, 3600));
    expect(view.videoUrl).toMatch(/^\/api\/files\/videos\/.+\/final\.mp4\?/);
    expect(view.posterUrl).not.toBeNull();
    expect(view.scenes.map((s) => s.clipUrl)).toEqual([null, null]);
  });

  it('a second run removes nothing and reports zeros', async () => {
    await run();
    const again = await run();
    expect(again.removed).toEqual({ intermediates: 0, orphans: 0, tempFiles: 0, staleUploads: 0 });
    expect(again.bytesFreed).toBe(0);
    expect(again.keys).toEqual([]);
    expect(again.warnings).toEqual([]);
    expect(await listKeys(w.storage)).toEqual(w.remaining);
  });

  it('leaves a video alone while it is in flight, however old, and cleans it once it is not', async () => {
    await run();
    const queued = allKeys(w.ids.queuedOld);
    expect(await listKeys(w.storage, `videos/${w.ids.queuedOld}/`)).toEqual(
      [...queued.finals, ...queued.clips, ...queued.inputs, `videos/${w.ids.queuedOld}/new.bin`].sort(),
    );
    await t.db.query("update tasks set status = 'done' where status = 'running'");
    const later = await run();
    expect(later.removed.intermediates).toBe(6); // the completed video whose webhook was running
    expect(later.skippedActive).toBe(2);
    expect(await listKeys(w.storage, `videos/${w.ids.runningTask}/`)).toEqual(allKeys(w.ids.runningTask).finals.sort());
  });
});
