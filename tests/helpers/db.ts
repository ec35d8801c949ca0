// Each test file gets its own freshly migrated database, so files run in parallel without sharing rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '@/lib/db/migrate';
import { createPgDb } from '@/lib/db/pg';
import { createPgliteDb } from '@/lib/db/pglite';
import type { Db } from '@/lib/db/types';
import { adminUrl, withDatabase } from './pg-url';

export interface TestDatabase {
  db: Db;
  url: string | null;
  /** Opens another independent pool on the same database (a second "process"). */
  connect(): Db;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(opts: { migrate?: boolean; max?: number } = {}): Promise<TestDatabase> {
  const name = `cueframe_t_${randomBytes(6).toString('hex')}`;
  // The name is generated from hex digits above; identifiers cannot be bound as parameters.
  await admin((c) => c.query(`create database ${name}`));
  const url = withDatabase(adminUrl(), name);
  const db = createPgDb(url, { max: opts.max ?? 10 });
  if (opts.migrate !== false) await migrate(db);
  const extra: Db[] = [];
  return {
    db,
    url,
    connect() {
      const d = createPgDb(url, { max: opts.max ?? 10 });
      extra.push(d);
      return d;
    },
    async drop() {
      await Promise.all([db, ...extra].map((d) => d.close().catch(() => {})));
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export async function createTestPglite(): Promise<TestDatabase> {
  const db = await createPgliteDb();
  await migrate(db);
  return {
    db,
    url: null,
    connect: () => db,
    drop: () => db.close(),
  };
}

/** The same suite runs on node-postgres and on embedded PGlite. */
export const adapters = [
  { name: 'postgres', create: createTestDatabase },
  { name: 'pglite', create: createTestPglite },
] as const;
