// @vercel/postgres, the user's chosen driver on Vercel. Only its WebSocket pool is used:
// the HTTP `sql` tag cannot hold a transaction (and cannot reach a non-Neon server).
import { createPool } from '@vercel/postgres';
import { poolDb, type PgPoolLike, type PoolDbOptions } from './pool';
import type { Db } from './types';

export function createVercelDb(connectionString: string, opts: PoolDbOptions = {}): Db {
  const pool = createPool({ connectionString });
  // An idle connection dropped by the server (Neon compute or pooler restart) must not crash the
  // function: the pool discards it and the next query opens a new one.
  pool.on('error', () => {});
  return poolDb(pool as unknown as PgPoolLike, 'vercel', opts);
}
