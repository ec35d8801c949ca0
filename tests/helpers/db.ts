// Each test file gets its own freshly migrated database, so files run in parallel without sharing rows.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import ws from 'ws';
import { migrate } from '@/lib/db/migrate';
import { createPgDb } from '@/lib/db/pg';
import { createPgliteDb } from '@/lib/db/pglite';
import type { Db } from '@/lib/db/types';
import { createVercelDb } from '@/lib/db/vercel';
import { adminUrl, withDatabase } from './pg-url';
import { startWsBridge, type WsBridge } from './ws-bridge';

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

async function createDatabase(): Promise<string> {
  const name = `cueframe_t_${randomBytes(6).toString('hex')}`;
  // The name is generated from hex digits above; identifiers cannot be bound as parameters.
  await admin((c) => c.query(`create database ${name}`));
  return name;
}

export interface ServerDatabase {
  name: string;
  /** node-postgres URL of the database on the test server. */
  url: string;
  /** Drops it, ending any connections still open (a killed server's). */
  drop(): Promise<void>;
}

/** An empty database on the test server for another process to use (a `next start` migrates it itself). */
export async function createServerDatabase(): Promise<ServerDatabase> {
  const name = await createDatabase();
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

export async function createTestDatabase(opts: { migrate?: boolean; max?: number } = {}): Promise<TestDatabase> {
  const name = await createDatabase();
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

// @vercel/postgres in tests. Its pool is the Neon driver, which carries the Postgres protocol over a
// WebSocket; a local bridge (ws-bridge.ts) stands in for Neon's proxy and pipes it to the test
// PostgreSQL over TCP. Each bridge is reached through its own pooled-looking host name: createPool
// rejects any host that is neither `localhost` nor contains "-pooler." (Neon's pooled endpoints),
// and `.invalid` guarantees the name is never resolved. wsProxy maps that host to its bridge.
const bridgePortByHost = new Map<string, number>();
let neonConfigured = false;

/** Points the Neon driver that @vercel/postgres uses (its one shared neonConfig) at the local bridges. */
function configureNeonForBridges(): void {
  if (neonConfigured) return;
  // @vercel/postgres's Node entry sets webSocketConstructor = ws on the neonConfig it imports (it is
  // loaded by now: lib/db/vercel is imported above). Seeing that here proves this import is the same
  // object, not a second copy of @neondatabase/serverless that the adapter would never read.
  if (neonConfig.webSocketConstructor !== ws) {
    throw new Error('tests/helpers/db.ts: this neonConfig is not the one @vercel/postgres configured (duplicate @neondatabase/serverless or ws?)');
  }
  neonConfig.webSocketConstructor = ws; // Node 20 has no global WebSocket (stated; already set as checked above)
  neonConfig.wsProxy = (host, port) => {
    const bridgePort = bridgePortByHost.get(host);
    if (bridgePort === undefined) throw new Error(`no ws bridge is running for ${host}:${port}`);
    return `127.0.0.1:${bridgePort}/v2?address=${host}:${port}`;
  };
  neonConfig.useSecureWebSocket = false; // ws://, the bridge has no TLS
  neonConfig.forceDisablePgSSL = true; // no TLS inside the tunnel either (the default, stated)
  neonConfig.pipelineTLS = false; // Neon-only
  neonConfig.pipelineConnect = false; // pipelining assumes cleartext-password auth; local PostgreSQL may use trust or SCRAM
  neonConfig.poolQueryViaFetch = false; // pool.query stays on the WebSocket (the default, stated)
  neonConfigured = true;
}

export interface VercelEndpoint {
  /** Pooled-looking connection string for `database`, accepted by createPool and routed to the bridge. */
  url: string;
  bridge: WsBridge;
  close(): Promise<void>;
}

/** Starts a bridge to the test PostgreSQL and returns a @vercel/postgres connection string that reaches `database` through it. */
export async function startVercelEndpoint(database: string): Promise<VercelEndpoint> {
  configureNeonForBridges();
  const admin = new URL(adminUrl());
  const bridge = await startWsBridge({ host: admin.hostname, port: Number(admin.port || 5432) });
  const host = `ep-${randomBytes(6).toString('hex')}-pooler.bridge.invalid`;
  bridgePortByHost.set(host, bridge.port);
  const u = new URL(withDatabase(adminUrl(), database));
  u.hostname = host;
  u.search = '';
  return {
    url: u.toString(),
    bridge,
    async close() {
      bridgePortByHost.delete(host);
      await bridge.close();
    },
  };
}

/** A Db built by the production adapter (lib/db/vercel.ts createVercelDb) on a bridged connection string. */
export function createVercelTestDb(url: string): Db {
  configureNeonForBridges();
  return createVercelDb(url);
}

export interface VercelTestDatabase extends TestDatabase {
  endpoint: VercelEndpoint;
}

/** Like createTestDatabase (created and dropped with pg as admin), but every Db is a @vercel/postgres pool. */
export async function createTestVercelDatabase(opts: { migrate?: boolean } = {}): Promise<VercelTestDatabase> {
  const name = await createDatabase();
  let endpoint: VercelEndpoint | undefined;
  const dbs: Db[] = [];
  const dropAll = async () => {
    await Promise.all(dbs.map((d) => d.close().catch(() => {})));
    await endpoint?.close();
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  };
  try {
    endpoint = await startVercelEndpoint(name);
    const db = createVercelTestDb(endpoint.url);
    dbs.push(db);
    if (opts.migrate !== false) await migrate(db);
    const ep = endpoint;
    return {
      db,
      url: null, // the bridged URL only works inside this process; see endpoint.url
      endpoint: ep,
      connect() {
        const d = createVercelTestDb(ep.url);
        dbs.push(d);
        return d;
      },
      drop: dropAll,
    };
  } catch (err) {
    await dropAll().catch(() => {});
    throw err;
  }
}

/** The same suite runs on node-postgres, on embedded PGlite, and on @vercel/postgres (Neon's pool over a local bridge). */
export const adapters = [
  { name: 'postgres', create: createTestDatabase },
  { name: 'pglite', create: createTestPglite },
  { name: 'vercel', create: createTestVercelDatabase },
] as const;

const TRUNCATE_QUEUE = 'truncate tasks, videos, queue_owners, queue_upkeep, task_events cascade';
const TRUNCATE_QUEUE_AND_OWNERS = 'truncate tasks, videos, queue_owners, queue_upkeep, task_events, credit_ledger, owners cascade';

/**
 * A database for one test file, emptied of queue rows (and with `owners`, of owners and their credit
 * ledger) before each test. Returns a getter.
 */
export function useQueueDatabase(opts: { owners?: boolean } = {}): () => TestDatabase {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.db.query(opts.owners ? TRUNCATE_QUEUE_AND_OWNERS : TRUNCATE_QUEUE);
  });
  return () => t;
}
