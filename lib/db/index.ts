// Picks the adapter from the environment: POSTGRES_URL (or DATABASE_URL on Vercel) → @vercel/postgres,
// DATABASE_URL → node-postgres, nothing → embedded PGlite under DATA_DIR.
import path from 'node:path';
import type { Config } from '@/lib/config';
import type { Db } from './types';

export type { Db, Queryable, QueryResult, DbKind } from './types';

export async function openDb(config: Config): Promise<Db> {
  const vercelUrl = config.postgresUrl ?? (config.onVercel ? config.databaseUrl : undefined);
  if (vercelUrl) {
    const { createVercelDb } = await import('./vercel');
    return createVercelDb(vercelUrl, { prepared: config.pgPreparedStatements });
  }
  if (config.databaseUrl) {
    const { createPgDb } = await import('./pg');
    return createPgDb(config.databaseUrl, { prepared: config.pgPreparedStatements });
  }
  // PGlite is left out of Vercel's bundles (next.config.ts): a serverless function's disk is neither shared
  // nor kept, so a deployment must name a real database.
  if (config.onVercel) throw new Error('On Vercel, set POSTGRES_URL or DATABASE_URL: the embedded database is for local use only.');
  const { createPgliteDb } = await import('./pglite');
  return createPgliteDb(path.join(/* turbopackIgnore: true */ config.dataDir, 'pglite'));
}
