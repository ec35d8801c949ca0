// A deleted video's files go right after the answer. If that fails, or the process dies first, the
// daily cleanup removes them: it treats a deleted video like one with no row (lib/cleanup/queries.ts).
import { collect } from '@/lib/cleanup/plan';
import { videoKeys } from '@/lib/storage/keys';
import type { Storage } from '@/lib/storage/types';

const DEL_BATCH = 100;

/** Deletes every object under the video's prefix; returns how many there were. */
export async function removeVideoFiles(storage: Storage, videoId: string): Promise<number> {
  const keys = (await collect(storage, videoKeys(videoId).prefix)).map((o) => o.key);
  for (let i = 0; i < keys.length; i += DEL_BATCH) await storage.del(keys.slice(i, i + DEL_BATCH));
  return keys.length;
}
