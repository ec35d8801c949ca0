// A throwaway database per benchmark run on the shared server, dropped afterwards (also on Ctrl-C).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '@/lib/db/migrate';
import { createPgDb } from '@/lib/db/pg';
import type { Db } from '@/lib/db/types';
import { startEmbeddedPostgres, type EmbeddedServer } from '@/scripts/embedded-pg';

let server: Promise<{ url: string; stop?: EmbeddedServer['stop'] }> | undefined;

/**
 * The server benches run on: BENCH_DATABASE_URL, else the tests' server (TEST_DATABASE_URL), else an
 * embedded PostgreSQL started on first use and stopped by closeBenchServer.
 */
export async function serverUrl(): Promise<string> {
  server ??= (async () => {
    const named = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
    if (named) return { url: named };
    const s = await startEmbeddedPostgres();
    console.error(`bench database server: embedded PostgreSQL ${s.version} (BENCH_DATABASE_URL and TEST_DATABASE_URL are unset)`);
    return s;
  })();
  return (await server).url;
}

/** Stops the embedded server if this process started one. Each bench's main ends with it. */
export async function closeBenchServer(): Promise<void> {
  const s = server;
  server = undefined;
  await (await s?.catch(() => undefined))?.stop?.();
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: await serverUrl() });
  await c.connect();
  try {
    return (await c.query<R>(text)).rows;
  } finally {
    await c.end();
  }
}

const live = new Set<string>();

async function dropDatabase(name: string): Promise<void> {
  live.delete(name);
  // The name is generated from hex digits below; identifiers cannot be bound as parameters.
  await adminQuery(`drop database if exists ${name} with (force)`);
}

let hooked = false;
function dropOnSignal(): void {
  if (hooked) return;
  hooked = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void Promise.allSettled([...live].map(dropDatabase)).finally(() => process.exit(130));
    });
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database; `migrate` also applies Cueframe's migrations through a short-lived pool. */
export async function createBenchDatabase(opts: { migrate?: boolean } = {}): Promise<BenchDatabase> {
  dropOnSignal();
  const name = `cueframe_b_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  live.add(name);
  const url = withDatabase(await serverUrl(), name);
  if (opts.migrate) {
    const db = createPgDb(url, { max: 1 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
  }
  return { name, url, drop: () => dropDatabase(name) };
}

/** Opens a Cueframe Db (node-postgres pool) with exactly `max` connections. */
export function openPool(url: string, max: number): Db {
  return createPgDb(url, { max });
}

export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * Bulk-loads in one transaction on one connection, then vacuums, analyzes and checkpoints, so every
 * measured run starts from the same settled state. As a superuser, foreign-key triggers are skipped
 * for the load (session_replication_role = replica): the generated rows are consistent by construction,
 * and per-row FK checks would otherwise dominate the load time.
 */
export async function bulkLoad(url: string, statements: readonly Statement[], vacuum: readonly string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const su = await c.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    await c.query('begin');
    if (su.rows[0]?.rolsuper) await c.query('set local session_replication_role = replica');
    for (const s of statements) await c.query(s.text, s.values);
    await c.query('commit');
    // Identifiers come from the bench's own constants, never from input.
    await c.query(`vacuum analyze ${vacuum.join(', ')}`);
    if (su.rows[0]?.rolsuper) await c.query('checkpoint');
  } finally {
    await c.end();
  }
}

/** Runs fn against a fresh database and always drops it. */
export async function withBenchDatabase<T>(
  opts: { migrate?: boolean },
  fn: (d: BenchDatabase) => Promise<T>,
): Promise<T> {
  const d = await createBenchDatabase(opts);
  try {
    return await fn(d);
  } finally {
    await d.drop().catch((err: unknown) => console.error(`could not drop ${d.name}:`, err));
  }
}
