// A PostgreSQL server reached over TCP (DATABASE_URL), for self-hosting and tests.
import pg from 'pg';
import { poolDb, type PoolDbOptions } from './pool';
import type { Db } from './types';

export function createPgDb(connectionString: string, opts: { max?: number } & PoolDbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return poolDb(pool, 'pg', { prepared: opts.prepared });
}
