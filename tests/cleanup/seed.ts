// Seeds for cleanup tests: video rows at chosen timestamps (plain SQL), real small files in a
// LocalStorage, and work dirs with chosen mtimes.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '@/lib/db/types';
import { videoKeys } from '@/lib/storage/keys';
import type { Storage } from '@/lib/storage/types';

export const DAY = 24 * 3600_000;
export const HOUR = 3600_000;
/** Every seeded video's topic, so its final MP4's key is known. */
const SEED_TOPIC = 'Topic';

export type Status = 'queued' | 'planning' | 'rendering' | 'composing' | 'completed' | 'failed' | 'cancelled';

/** One video row (and its rendered scenes) whose timestamps all sit at `at`. */
export async function insertVideo(
  db: Db,
  o: { status: Status; at: Date; finished?: boolean; sceneCount?: number; id?: string },
): Promise<string> {
  const id = o.id ?? randomUUID();
  const scenes = o.sceneCount ?? 2;
  await db.query(
    `insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution, status,
                         video_key, poster_key, captions_key, completed_at, created_at, updated_at)
     values ($1::uuid, 'owner-a', 'hash', $9::text, $2::int, '16:9', '720p', $3::text,
             case when $3::text = 'completed' then $6::text end, case when $3::text = 'completed' then $7::text end,
             case when $3::text = 'completed' then $8::text end,
             case when $5::boolean then $4::timestamptz end, $4::timestamptz, $4::timestamptz)`,
    [id, scenes, o.status, o.at, o.finished ?? ['completed', 'failed', 'cancelled'].includes(o.status),
      videoKeys(id).final(SEED_TOPIC), videoKeys(id).poster, videoKeys(id).captions, SEED_TOPIC],
  );
  for (let i = 0; i < scenes; i++) {
    await db.query(
      `insert into scenes (video_id, index, narration, visual_prompt, duration_ms, status, clip_key, image_key)
       values ($1::uuid, $2::int, 'n', 'p', 1000, 'rendered', $3::text, $4::text)`,
      [id, i, videoKeys(id).scene(i), videoKeys(id).sceneImage(i)],
    );
  }
  return id;
}

export async function insertTask(db: Db, videoId: string, status: 'ready' | 'running' | 'done' | 'dead', kind = 'webhook'): Promise<void> {
  await db.query(
    `insert into tasks (video_id, owner_id, kind, scene_index, status, ref)
     values ($1::uuid, 'owner-a', $2::text, case when $2::text = 'render' then 0 end, $3::text, $4::text)`,
    [videoId, kind, status, randomUUID()],
  );
}

/** Every key videoKeys() makes for a video with `scenes` scenes. */
export function allKeys(id: string, scenes = 2): { finals: string[]; clips: string[]; inputs: string[] } {
  const k = videoKeys(id);
  const idx = Array.from({ length: scenes }, (_, i) => i);
  return {
    finals: [k.final(SEED_TOPIC), k.poster, k.captions],
    clips: idx.map((i) => k.scene(i)),
    inputs: idx.flatMap((i) => [k.sceneImage(i), k.sceneAudio(i)]),
  };
}

/** Puts every key of the video, each holding `bytes` bytes; returns the keys. */
export async function putVideoFiles(storage: Storage, id: string, bytes = 10, scenes = 2): Promise<string[]> {
  const { finals, clips, inputs } = allKeys(id, scenes);
  const keys = [...finals, ...clips, ...inputs];
  for (const key of keys) await storage.put(key, Buffer.alloc(bytes, 7), { contentType: 'application/octet-stream', access: 'private' });
  return keys;
}

export async function listKeys(storage: Storage, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Storage['list']>> = await storage.list(prefix, { cursor: cursor ?? undefined, limit: 7 });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.cursor;
  } while (cursor !== null);
  return keys;
}

/** A file (creating its dirs) with the given mtime. */
export async function fileAt(file: string, mtime: Date, body = 'x'): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, body);
  await fs.utimes(file, mtime, mtime);
}

export async function setMtime(target: string, mtime: Date): Promise<void> {
  await fs.utimes(target, mtime, mtime);
}

export async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}
