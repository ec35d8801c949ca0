// One store, database and temp dir holding every case cleanup must get right, with what each run
// should remove. Shared by the single-run and the concurrent-run tests.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeEach } from 'vitest';
import { runCleanup } from '@/lib/cleanup/run';
import type { CleanupReport, Retention } from '@/lib/cleanup/types';
import type { Db } from '@/lib/db/types';
import { LocalStorage } from '@/lib/storage/local';
import { useQueueDatabase } from '../helpers/db';
import { TEST_SECRET, useTempDirs } from '../storage/temp-dir';
import { allKeys, DAY, fileAt, HOUR, insertTask, insertVideo, putVideoFiles, setMtime } from './seed';

export interface World {
  storage: LocalStorage;
  tmpRoot: string;
  now: Date;
  ids: Record<'oldCompleted' | 'recentCompleted' | 'oldFailed' | 'oldCancelled' | 'recentFailed' | 'queuedOld'
    | 'renderingOld' | 'runningTask' | 'deleted', string>;
  /** Storage keys each run together must remove, by report category. */
  removed: { intermediates: string[]; orphans: string[] };
  remaining: string[];
  staleUploads: { removed: string[]; kept: string[]; bytes: number };
  temp: { removed: string[]; kept: string[]; bytes: number };
}

const tmpName = () => `${randomUUID()}.tmp`;

export async function buildWorld(db: Db, base: string): Promise<World> {
  const now = new Date(Date.now() + 30 * DAY);
  const tmpRoot = path.join(base, 'tmp');
  // The store lives in a mkdtemp-shaped dir in the temp root, as the test app's does: it must survive.
  const root = path.join(tmpRoot, 'cueframe-app-Prt123', 'storage');
  const storage = new LocalStorage({ root, secret: TEST_SECRET, now: () => new Date(now.getTime() - 20 * DAY) });
  const fresh = new LocalStorage({ root, secret: TEST_SECRET, now: () => new Date(now.getTime() - 10 * 60_000) });
  const at = (ms: number) => new Date(now.getTime() - ms);

  const ids = {
    oldCompleted: await insertVideo(db, { status: 'completed', at: at(10 * DAY) }),
    recentCompleted: await insertVideo(db, { status: 'completed', at: at(2 * DAY) }),
    oldFailed: await insertVideo(db, { status: 'failed', at: at(10 * DAY) }),
    oldCancelled: await insertVideo(db, { status: 'cancelled', at: at(10 * DAY), finished: false }), // no completed_at
    recentFailed: await insertVideo(db, { status: 'failed', at: at(1 * DAY) }),
    queuedOld: await insertVideo(db, { status: 'queued', at: at(30 * DAY) }),
    renderingOld: await insertVideo(db, { status: 'rendering', at: at(30 * DAY) }),
    runningTask: await insertVideo(db, { status: 'completed', at: at(10 * DAY) }),
    deleted: randomUUID(), // files but no row
  };
  await insertTask(db, ids.runningTask, 'running');
  await insertTask(db, ids.oldCompleted, 'done');
  await insertTask(db, ids.oldCompleted, 'ready'); // a webhook waiting to be delivered does not hold files
  await insertTask(db, ids.oldFailed, 'dead', 'render');

  const all: string[] = [];
  for (const id of Object.values(ids)) all.push(...(await putVideoFiles(storage, id)));
  const loose = ['misc/readme.txt', 'videos/not-a-uuid/final.mp4'];
  const strayOld = `videos/${ids.recentCompleted}/extra.bin`;
  for (const key of [...loose, strayOld]) await storage.put(key, Buffer.alloc(10), { contentType: 'text/plain', access: 'private' });
  const strayFresh = `videos/${ids.queuedOld}/new.bin`;
  const strayFreshDone = `videos/${ids.recentFailed}/new.bin`;
  for (const key of [strayFresh, strayFreshDone]) await fresh.put(key, Buffer.alloc(10), { contentType: 'text/plain', access: 'private' });

  const removed = {
    intermediates: [
      ...allKeys(ids.oldCompleted).clips, ...allKeys(ids.oldCompleted).inputs,
      ...allKeys(ids.oldFailed).inputs, ...allKeys(ids.oldCancelled).inputs,
    ],
    orphans: [...all.filter((k) => k.startsWith(`videos/${ids.deleted}/`)), ...loose, strayOld],
  };
  const gone = new Set([...removed.intermediates, ...removed.orphans]);
  const remaining = [...all, strayFresh, strayFreshDone].filter((k) => !gone.has(k)).sort();

  const inStore = (rel: string) => path.join(root, rel);
  const staleUploads = {
    removed: [inStore(`videos/${ids.oldCompleted}/final.mp4.~${tmpName()}`), inStore(`videos/${ids.recentCompleted}/scenes/5.mp4`)],
    kept: [inStore(`videos/${ids.recentCompleted}/poster.jpg.~${tmpName()}`), inStore(`videos/${ids.queuedOld}/scenes/0.mp4.~${tmpName()}`)],
    bytes: 2 * 3,
  };
  for (const f of staleUploads.removed) await fileAt(f, at(2 * HOUR), 'old');
  await fileAt(staleUploads.kept[0]!, at(10 * 60_000), 'new'); // may still be an upload in progress
  await fileAt(staleUploads.kept[1]!, at(7 * HOUR), 'old'); // in flight: never touched

  const t = (name: string) => path.join(tmpRoot, name);
  const temp = {
    removed: [t('cueframe-render-AbC123'), t('cueframe-openai-speech-Xy9Z8w')],
    kept: [t('cueframe-compose-QwErTy'), t('cueframe-clip-Zz1Zz1'), t('cueframe-bench'), t('other-AbC123'), t('cueframe-app-Prt123')],
    bytes: 4 + 5 + 6,
  };
  await fileAt(path.join(temp.removed[0]!, 'clip.mp4'), at(7 * HOUR), 'four');
  await fileAt(path.join(temp.removed[1]!, 'deep', 'a.m4a'), at(7 * HOUR), 'five!');
  await fileAt(path.join(temp.removed[1]!, 'b.png'), at(7 * HOUR), 'six!!!');
  await setMtime(path.join(temp.removed[1]!, 'deep'), at(7 * HOUR));
  await fileAt(path.join(temp.kept[0]!, 'final.mp4'), at(1 * HOUR)); // its dir is old, but a file in it is being written
  await fileAt(path.join(temp.kept[1]!, 'scene.mp4'), at(5 * HOUR));
  await fileAt(path.join(temp.kept[2]!, 'result.json'), at(7 * DAY));
  await fileAt(path.join(temp.kept[3]!, 'x'), at(7 * DAY));
  for (const dir of [...temp.removed, ...temp.kept]) await setMtime(dir, at(7 * HOUR));
  await fs.mkdir(tmpRoot, { recursive: true });

  return { storage, tmpRoot, now, ids, removed, remaining, staleUploads, temp };
}

const RETENTION: Retention = { intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 };

/**
 * A database and a freshly built World for each test of a file, and a cleanup run over them with the
 * standard retention. The getters read the current ones.
 */
export function useCleanupWorld(): { readonly db: Db; readonly w: World; readonly retention: Retention; run(): Promise<CleanupReport> } {
  const tempDir = useTempDirs();
  // Registered first, so its truncate runs before the world below is built.
  const t = useQueueDatabase();
  let w: World;
  beforeEach(async () => {
    w = await buildWorld(t().db, await tempDir());
  });
  return {
    get db() {
      return t().db;
    },
    get w() {
      return w;
    },
    retention: RETENTION,
    run: () => runCleanup({ db: t().db, storage: w.storage, now: () => w.now, retention: RETENTION, tmpRoot: w.tmpRoot }),
  };
}
