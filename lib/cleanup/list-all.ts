// Every object under a prefix, page by page, through the Storage interface's list().
import type { Storage, StoredObject } from '@/lib/storage/types';

export async function* listAll(storage: Storage, prefix: string): AsyncGenerator<StoredObject> {
  let cursor: string | null = null;
  do {
    const page: { objects: StoredObject[]; cursor: string | null } = await storage.list(prefix, cursor ? { cursor } : {});
    yield* page.objects;
    cursor = page.cursor;
  } while (cursor !== null);
}

export async function collect(storage: Storage, prefix: string): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  for await (const object of listAll(storage, prefix)) all.push(object);
  return all;
}
