// runCleanup's safety rails: the live store's dir, shared Blob stores, failed deletions, and a store
// that does not belong to this database.
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCleanup } from '@/lib/cleanup/run';
import { LocalStorage } from '@/lib/storage/local';
import type { Storage } from '@/lib/storage/types';
import { getVideoView } from '@/lib/videos/view';
import { urlSigner } from '@/lib/videos/urls';
import { TEST_SECRET } from '../storage/temp-dir';
import { exists, listKeys } from './seed';
import { useCleanupWorld } from './world';

const c = useCleanupWorld();

describe('runCleanup safety', () => {

  it('never removes the temp dir holding the live store, however idle', async () => {
    await fs.rm(c.w.staleUploads.kept[0]!); // the one recent file in the store
    const report = await c.run();
    expect(report.removed.tempFiles).toBe(2);
    expect(await exists(c.w.storage.root)).toBe(true);
    expect(await listKeys(c.w.storage)).toEqual(c.w.remaining);
  });

  it('on a store that may be shared (Blob), leaves keys outside videos/ alone and says so', async () => {
    const s = c.w.storage;
    const blobLike: Storage = {
      kind: 'blob',
      put: (k, b, o) => s.put(k, b, o), head: (k) => s.head(k), del: (k) => s.del(k),
      download: (k, d) => s.download(k, d), url: (k, o) => s.url(k, o), list: (p, o) => s.list(p, o),
    };
    const report = await runCleanup({ db: c.db, storage: blobLike, now: () => c.w.now, retention: c.retention, tmpRoot: c.w.tmpRoot });
    expect(report.removed).toEqual({ intermediates: 14, orphans: 11, tempFiles: 2, staleUploads: 0 });
    expect(report.warnings).toEqual(['objects outside videos/ left alone, as the Blob store may be shared: 1']);
    expect(await listKeys(c.w.storage)).toEqual([...c.w.remaining, 'misc/readme.txt'].sort());
  });

  it('a failed deletion becomes a warning, leaves no clip_key pointing at nothing, and the next run finishes', async () => {
    let failures = 1;
    const doomed = `videos/${c.w.ids.oldCompleted}/`;
    class FlakyStorage extends LocalStorage {
      override async del(key: string | string[]): Promise<void> {
        if ([key].flat().some((k) => k.startsWith(doomed)) && failures-- > 0) throw new Error('store hiccup');
        return super.del(key);
      }
    }
    const flaky = new FlakyStorage({ root: c.w.storage.root, secret: TEST_SECRET });
    const first = await runCleanup({ db: c.db, storage: flaky, now: () => c.w.now, retention: c.retention, tmpRoot: c.w.tmpRoot });
    expect(first.warnings).toEqual([`could not delete under ${doomed}: store hiccup`]);
    expect(first.removed.intermediates).toBe(8);
    const view = await getVideoView(c.db, 'owner-a', c.w.ids.oldCompleted, urlSigner(c.w.storage, c.w.now, 3600));
    expect(view.scenes.map((sc) => sc.clipUrl)).toEqual([null, null]);

    const second = await c.run();
    expect(second.removed).toEqual({ intermediates: 6, orphans: 0, tempFiles: 0, staleUploads: 0 });
    expect(await listKeys(c.w.storage)).toEqual(c.w.remaining);
  });

  it('keeps orphans when the store does not look like this database', async () => {
    await c.db.query('truncate videos, tasks, task_events cascade'); // every video now looks deleted
    const ids = Array.from({ length: 25 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of ids) await c.w.storage.put(`videos/${id}/final.mp4`, 'x', { contentType: 'video/mp4', access: 'private' });
    const loose = ['misc/readme.txt', 'videos/not-a-uuid/final.mp4'];
    const orphaned = (await listKeys(c.w.storage)).filter((k) => !loose.includes(k));
    const report = await c.run();
    expect(report.removed.orphans).toBe(loose.length); // keys outside videos/<uuid>/ are still removed
    expect(report.warnings.join('\n')).toMatch(/have no row/);
    const left = new Set(await listKeys(c.w.storage));
    for (const key of orphaned) expect(left.has(key), key).toBe(true);
  });
});
