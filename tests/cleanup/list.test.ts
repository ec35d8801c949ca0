// LocalStorage.list(): sorted, paginated by cursor, whole objects only.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from '@/lib/storage/local';
import { TEST_SECRET, useTempDirs } from '../storage/temp-dir';
import { listKeys } from './seed';

const tempDir = useTempDirs();
const at = new Date('2030-01-01T00:00:00Z');

async function store() {
  const root = path.join(await tempDir(), 'storage');
  return { root, storage: new LocalStorage({ root, secret: TEST_SECRET, now: () => at }) };
}

// Chosen so directory order and key order differ: "scenes/1/" sorts before "scenes/10.mp4" and
// after "scenes/1.mp4" ('.' < '/' < '0').
const KEYS = [
  'a.txt',
  'videos/v1/final.mp4',
  'videos/v1/scenes/0.mp4',
  'videos/v1/scenes/0/image.png',
  'videos/v1/scenes/1.mp4',
  'videos/v1/scenes/1/narration.m4a',
  'videos/v1/scenes/10.mp4',
  'videos/v10/final.mp4',
  'videos/v2/poster.jpg',
  'z/deep/er/still.bin',
];

async function seeded() {
  const s = await store();
  for (const key of [...KEYS].reverse()) await s.storage.put(key, Buffer.from(key), { contentType: 'text/plain', access: 'private' });
  return s;
}

describe('LocalStorage list', () => {
  it('returns every key exactly once across pages, in key order, with size and metadata', async () => {
    const { storage } = await seeded();
    for (const limit of [1, 2, 3, 1000]) {
      const keys: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<LocalStorage['list']>> = await storage.list('', { cursor: cursor ?? undefined, limit });
        expect(page.objects.length).toBeLessThanOrEqual(limit);
        keys.push(...page.objects.map((o) => o.key));
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== null);
      expect(keys, `limit ${limit}`).toEqual([...KEYS].sort());
      expect(pages).toBe(Math.max(1, Math.ceil(KEYS.length / limit)));
    }
    const first = await storage.list('videos/v2/');
    expect(first).toEqual({
      objects: [{ key: 'videos/v2/poster.jpg', size: 20, contentType: 'text/plain', access: 'private', uploadedAt: at }],
      cursor: null,
    });
  });

  it('filters by prefix, whole segments or partial', async () => {
    const { storage } = await seeded();
    expect(await listKeys(storage, 'videos/v1/scenes/')).toEqual(KEYS.filter((k) => k.startsWith('videos/v1/scenes/')));
    expect(await listKeys(storage, 'videos/v1')).toEqual(KEYS.filter((k) => k.startsWith('videos/v1')));
    expect(await listKeys(storage, 'videos/v1/scenes/1')).toEqual([
      'videos/v1/scenes/1.mp4', 'videos/v1/scenes/1/narration.m4a', 'videos/v1/scenes/10.mp4',
    ]);
    expect(await listKeys(storage, 'nothing/here/')).toEqual([]);
  });

  it('never lists sidecars, temp files, half-written objects or symlinks', async () => {
    const { root, storage } = await seeded();
    const dir = path.join(root, 'videos/v1');
    await fs.writeFile(path.join(dir, 'final.mp4.~0b7c6f7e-1111-4222-8333-944445555666.tmp'), 'temp');
    await fs.writeFile(path.join(dir, 'poster.jpg.meta.json.~0b7c6f7e-1111-4222-8333-944445555666.tmp'), '{}');
    await fs.writeFile(path.join(dir, 'orphan-bytes.bin'), 'no sidecar'); // data without its sidecar
    await storage.put('videos/v1/captions.vtt', 'x', { contentType: 'text/vtt', access: 'private' });
    await fs.rm(path.join(dir, 'captions.vtt')); // sidecar without its data
    await fs.symlink(path.join(root, 'a.txt'), path.join(dir, 'link.txt'));
    await fs.symlink(path.join(root, 'a.txt.meta.json'), path.join(dir, 'link.txt.meta.json'));
    const keys = await listKeys(storage);
    expect(keys).toEqual([...KEYS].sort());
    expect(keys.some((k) => k.endsWith('.meta.json'))).toBe(false);
  });

  it('a page does not depend on what was deleted before it', async () => {
    const { storage } = await seeded();
    const first = await storage.list('', { limit: 3 });
    await storage.del(first.objects.map((o) => o.key));
    const rest = await listKeys(storage);
    const second = await storage.list('', { cursor: first.cursor!, limit: 1000 });
    expect(second.objects.map((o) => o.key)).toEqual(rest);
    expect(rest).toEqual([...KEYS].sort().slice(3));
  });

  it('answers an empty or missing store with one empty page', async () => {
    const { storage } = await store();
    expect(await storage.list('')).toEqual({ objects: [], cursor: null });
  });

  it('rejects bad prefixes, cursors and limits', async () => {
    const { storage } = await seeded();
    for (const prefix of ['../', '/videos', 'videos//', 'a.txt.meta.json', 'videos/..']) {
      await expect(storage.list(prefix), prefix).rejects.toMatchObject({ code: 'bad_request' });
    }
    for (const limit of [0, -1, 1.5, 1001]) {
      await expect(storage.list('', { limit }), String(limit)).rejects.toMatchObject({ code: 'bad_request' });
    }
    for (const cursor of ['../x', 'a~b', '']) {
      await expect(storage.list('', { cursor }), cursor).rejects.toMatchObject({ code: 'bad_request' });
    }
  });
});
