import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { openDb } from '@/lib/db';
import { adminUrl } from '../helpers/pg-url';

describe('choosing the database adapter from the environment', () => {
  it('uses embedded PGlite under DATA_DIR when nothing is configured', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-choice-'));
    const db = await openDb(loadConfig({ DATA_DIR: dir }));
    try {
      expect(db.kind).toBe('pglite');
      await fs.access(path.join(dir, 'pglite', 'cueframe.lock'));
    } finally {
      await db.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('uses node-postgres for DATABASE_URL, and the SQL runs unchanged', async () => {
    const db = await openDb(loadConfig({ DATABASE_URL: adminUrl() }));
    expect(db.kind).toBe('pg');
    expect((await db.query<{ n: number }>('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    await db.close();
  });

  it('uses @vercel/postgres for POSTGRES_URL, and for DATABASE_URL on Vercel', async () => {
    const a = await openDb(loadConfig({ POSTGRES_URL: 'postgres://u:p@ep-x-pooler.example.invalid/db' }));
    const b = await openDb(loadConfig({ VERCEL: '1', DATABASE_URL: 'postgres://u:p@ep-x-pooler.example.invalid/db' }));
    expect([a.kind, b.kind]).toEqual(['vercel', 'vercel']);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses to fall back to PGlite on Vercel, where it is not deployed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-choice-'));
    try {
      await expect(openDb(loadConfig({ VERCEL: '1', DATA_DIR: dir, SIGNING_SECRET: 'x'.repeat(32) }))).rejects.toThrow(/POSTGRES_URL or DATABASE_URL/);
      expect(await fs.readdir(dir)).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
