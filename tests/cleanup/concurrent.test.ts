// Two overlapping runs (a doubled cron delivery), each on its own connection pool as two function
// instances would be: both succeed, and between them every object is removed and counted once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCleanup } from '@/lib/cleanup/run';
import type { CleanupReport } from '@/lib/cleanup/types';
import type { Db } from '@/lib/db/types';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { useTempDirs } from '../storage/temp-dir';
import { exists, listKeys } from './seed';
import { buildWorld } from './world';

const tempDir = useTempDirs();
const retention = { intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 };
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const sum = (a: CleanupReport, b: CleanupReport) =>
  Object.fromEntries(Object.keys(a.removed).map((k) => [k, a.removed[k as keyof CleanupReport['removed']] + b.removed[k as keyof CleanupReport['removed']]]));

describe('concurrent cleanup runs', () => {
  it('split the work: each object removed once, both reports add up, neither throws', async () => {
    for (let round = 0; round < 3; round++) {
      await t.db.query('truncate videos, tasks, task_events cascade');
      const w = await buildWorld(t.db, await tempDir());
      const deps = (db: Db) => ({ db, storage: w.storage, now: () => w.now, retention, tmpRoot: w.tmpRoot });
      const [a, b] = await Promise.all([runCleanup(deps(t.db)), runCleanup(deps(t.connect()))]);

      expect(sum(a, b), `round ${round}`).toEqual({ intermediates: 14, orphans: 12, tempFiles: 2, staleUploads: 2 });
      expect(a.bytesFreed + b.bytesFreed).toBe(14 * 10 + 12 * 10 + w.temp.bytes + w.staleUploads.bytes);
      const keys = [...a.keys, ...b.keys].sort();
      expect(keys).toEqual([...w.removed.intermediates, ...w.removed.orphans].sort()); // no key twice
      expect([...a.warnings, ...b.warnings]).toEqual([]);
      expect(await listKeys(w.storage)).toEqual(w.remaining);
      for (const p of [...w.temp.removed, ...w.staleUploads.removed]) expect(await exists(p), p).toBe(false);
      for (const p of [...w.temp.kept, ...w.staleUploads.kept]) expect(await exists(p), p).toBe(true);
    }
  });
});
