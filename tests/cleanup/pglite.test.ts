// The same run on the embedded database `npm run dev` uses, where the local timer does the cleaning:
// its one connection must take the same locks and give the same answer as PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCleanup } from '@/lib/cleanup/run';
import { createTestPglite, type TestDatabase } from '../helpers/db';
import { useTempDirs } from '../storage/temp-dir';
import { listKeys } from './seed';
import { buildWorld } from './world';

const tempDir = useTempDirs();
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestPglite();
});
afterAll(async () => {
  await t.drop();
});

describe('runCleanup on PGlite', () => {
  it('removes the same things, and two overlapping runs still count each once', async () => {
    const w = await buildWorld(t.db, await tempDir());
    const deps = { db: t.db, storage: w.storage, now: () => w.now, retention: { intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 }, tmpRoot: w.tmpRoot };
    const [a, b] = await Promise.all([runCleanup(deps), runCleanup(deps)]);
    expect([a.removed.intermediates + b.removed.intermediates, a.removed.orphans + b.removed.orphans]).toEqual([14, 12]);
    expect(a.removed.staleUploads + b.removed.staleUploads).toBe(2);
    expect(a.removed.tempFiles + b.removed.tempFiles).toBe(2);
    expect([...a.warnings, ...b.warnings]).toEqual([]);
    expect(await listKeys(w.storage)).toEqual(w.remaining);
  });
});
