import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteDb, DataDirInUseError } from '@/lib/db/pglite';
import { migrate } from '@/lib/db/migrate';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function holdInChild(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/hold-pglite.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes('ready')) break;
  }
  return child;
}

describe('embedded PGlite directory', () => {
  it('refuses a second process with a clear error, and opens once the holder is gone', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-pglite-'));
    dirs.push(dir);
    const child = await holdInChild(dir);
    try {
      const err = await createPgliteDb(dir).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirInUseError);
      expect((err as Error).message).toContain(`process ${child.pid}`);
      expect((err as Error).message).toMatch(/DATABASE_URL/);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    // The killed holder left its lock file behind; a dead pid's lock is taken over.
    const db = await createPgliteDb(dir);
    await migrate(db);
    const r = await db.query<{ n: number }>('select count(*)::int as n from schema_migrations');
    expect(r.rows[0]!.n).toBeGreaterThan(0);
    await db.close();
  });

  it('keeps data across reopen', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-pglite-'));
    dirs.push(dir);
    const a = await createPgliteDb(dir);
    await migrate(a);
    await a.query("insert into videos (id, owner_id, request_hash, topic, scene_count, aspect_ratio, resolution) values ('00000000-0000-4000-8000-000000000001', 'o', 'h', 'kept', 1, '16:9', '720p')");
    await a.close();
    const b = await createPgliteDb(dir);
    expect((await b.query<{ topic: string }>('select topic from videos')).rows).toEqual([{ topic: 'kept' }]);
    await b.close();
  });
});
