// db/functions: applied after the migrations, once per version, never downgraded by an older deployment.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionVersionConflict, migrate, readFunctionFiles } from '@/lib/db/migrate';
import { createPgliteDb } from '@/lib/db/pglite';
import type { Db } from '@/lib/db/types';
import { createTestDatabase } from '../helpers/db';

const FUNCTIONS = 'db/functions';

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** A copy of db/functions in which `edit` rewrites one file: another deployment's functions folder. */
async function deployment(file: string, edit: (sql: string) => string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cueframe-functions-'));
  tmpDirs.push(dir);
  for (const f of await fs.readdir(FUNCTIONS)) await fs.copyFile(path.join(FUNCTIONS, f), path.join(dir, f));
  const p = path.join(dir, file);
  await fs.writeFile(p, edit(await fs.readFile(p, 'utf8')));
  return dir;
}

const bumpTo = (n: number, marker: string) => (sql: string) =>
  sql.replace(/^-- version: \d+\n/, `-- version: ${n}\n`).replace('\nbegin\n', `\nbegin\n  -- ${marker}\n`);

/** The version after the shipped one of a function file: what a newer deployment would ship. */
async function nextVersion(name: string): Promise<number> {
  return (await readFunctionFiles(FUNCTIONS)).find((f) => f.name === name)!.version + 1;
}

/** What the server holds for a function: its body and the row version (xmin), which any create or replace changes. */
async function proc(db: Db, name: string): Promise<{ src: string; xmin: string }> {
  const r = await db.query<{ src: string; xmin: string }>('select prosrc as src, xmin::text as xmin from pg_proc where proname = $1::text', [name]);
  expect(r.rows).toHaveLength(1);
  return r.rows[0]!;
}

async function recorded(db: Db): Promise<Record<string, { version: number; checksum: string }>> {
  const r = await db.query<{ name: string; version: number; checksum: string }>('select name, version, checksum from schema_functions');
  return Object.fromEntries(r.rows.map((x) => [x.name, { version: x.version, checksum: x.checksum }]));
}

const adapters = [
  {
    name: 'node-postgres',
    async open() {
      const t = await createTestDatabase({ migrate: false });
      return { db: t.db, close: () => t.drop() };
    },
  },
  {
    name: 'PGlite',
    async open() {
      const db = await createPgliteDb();
      return { db, close: () => db.close() };
    },
  },
] as const;

describe.each(adapters)('function files on $name', (adapter) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await adapter.open());
  });
  afterAll(async () => {
    await close?.();
  });

  it('are all applied on a fresh database, after the migrations, with their version and checksum recorded', async () => {
    const files = await readFunctionFiles(FUNCTIONS);
    const result = await migrate(db);
    expect(result.migrations.length).toBeGreaterThan(0);
    expect(result.functions).toEqual(files.map((f) => f.name));
    expect(await recorded(db)).toEqual(Object.fromEntries(files.map((f) => [f.name, { version: f.version, checksum: f.checksum }])));
    for (const f of files) {
      // The server's body is the file's, between the dollar quotes.
      expect((await proc(db, f.name)).src).toBe(/as \$\$([\s\S]*)\$\$;\s*$/.exec(f.sql)![1]);
    }
  });

  it('are skipped when unchanged: nothing is re-created', async () => {
    const names = (await readFunctionFiles(FUNCTIONS)).map((f) => f.name);
    const before = await Promise.all(names.map((n) => proc(db, n)));
    expect(await migrate(db)).toEqual({ migrations: [], functions: [] });
    expect(await Promise.all(names.map((n) => proc(db, n)))).toEqual(before);
  });

  it('apply a newer version, and keep it when a deployment with the older file starts', async () => {
    const next = await nextVersion('cueframe_claim_task');
    const newer = await deployment('cueframe_claim_task.sql', bumpTo(next, 'newer deployment'));
    const other = await proc(db, 'cueframe_accept_videos');
    expect((await migrate(db, { functions: newer })).functions).toEqual(['cueframe_claim_task']);
    const applied = await proc(db, 'cueframe_claim_task');
    expect(applied.src).toContain('-- newer deployment');
    expect((await recorded(db)).cueframe_claim_task!.version).toBe(next);
    expect(await proc(db, 'cueframe_accept_videos')).toEqual(other);

    // The older deployment (db/functions as shipped) starts again: a rollback, or a preview.
    expect(await migrate(db)).toEqual({ migrations: [], functions: [] });
    expect(await proc(db, 'cueframe_claim_task')).toEqual(applied);
    expect((await recorded(db)).cueframe_claim_task!.version).toBe(next);
  });

  it('refuse to start when a recorded version comes with different text, and change nothing', async () => {
    // The version the previous test recorded, with other text.
    const next = await nextVersion('cueframe_claim_task');
    const edited = await deployment('cueframe_claim_task.sql', (sql) => sql.replace('\nbegin\n', `\nbegin\n  -- edited in place, same version ${next}\n`).replace(/^-- version: \d+/, `-- version: ${next}`));
    const before = { claim: await proc(db, 'cueframe_claim_task'), rows: await recorded(db) };
    const err = await migrate(db, { functions: edited }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FunctionVersionConflict);
    expect((err as Error).message).toMatch(new RegExp(`cueframe_claim_task\\.sql: version ${next} .*bump`));
    expect({ claim: await proc(db, 'cueframe_claim_task'), rows: await recorded(db) }).toEqual(before);
  });
});

describe('function files', () => {
  it('are refused without a version header, or with other than one function named as the file', async () => {
    const noHeader = await deployment('cueframe_claim_task.sql', (sql) => sql.replace(/^-- version: \d+\n/, ''));
    await expect(readFunctionFiles(noHeader)).rejects.toThrow(/cueframe_claim_task\.sql: the first line must be `-- version: N`/);
    const misnamed = await deployment('cueframe_claim_task.sql', (sql) => sql.replace('function cueframe_claim_task(', 'function cueframe_claim_other('));
    await expect(readFunctionFiles(misnamed)).rejects.toThrow(/must define exactly one function, `create or replace function cueframe_claim_task/);
    const two = await deployment('task_events_append_only.sql', (sql) => `${sql}\ncreate or replace function task_events_append_only() returns trigger language plpgsql as $$ begin return null; end $$;\n`);
    await expect(readFunctionFiles(two)).rejects.toThrow(/task_events_append_only\.sql: must define exactly one function/);
    const plain = await deployment('task_events_append_only.sql', (sql) => sql.replace('create or replace function', 'create function'));
    await expect(readFunctionFiles(plain)).rejects.toThrow(/must define exactly one function/);
  });

  it('hold every function the migrations define, and no migration from 0013 on defines one', async () => {
    const migrations = (await fs.readdir('db/migrations')).filter((f) => f.endsWith('.sql')).sort();
    const defined = new Set<string>();
    for (const m of migrations) {
      const sql = await fs.readFile(path.join('db/migrations', m), 'utf8');
      const names = [...sql.matchAll(/^create\s+(?:or\s+replace\s+)?function\s+([a-z0-9_]+)\s*\(/gim)].map((x) => x[1]!);
      // Released migrations (up to 0011) keep their definitions as history; from 0013 on a function
      // exists only in its one file.
      if (m >= '0013') expect({ migration: m, defines: names }).toEqual({ migration: m, defines: [] });
      for (const n of names) defined.add(n);
    }
    const files = (await readFunctionFiles(FUNCTIONS)).map((f) => f.name);
    expect(files).toEqual(expect.arrayContaining([...defined]));
  });
});
