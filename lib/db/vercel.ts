// @vercel/postgres, the user's chosen driver on Vercel. Only its WebSocket pool is used:
// the HTTP `sql` tag cannot hold a transaction (and cannot reach a non-Neon server).
import { createPool } from '@vercel/postgres';
import { poolDb, type PgPoolLike } from './pool';
import type { Db } from './types';

export function createVercelDb(connectionString: string): Db {
  const pool = createPool({ connectionString });
  return poolDb(pool as unknown as PgPoolLike, 'vercel');
}
