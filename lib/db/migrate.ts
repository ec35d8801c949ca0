// Applies db/migrations/NNNN_name.sql in order, each once. A transaction-scoped advisory lock
// serialises processes that start together; the second one finds the work done.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './types';

const MIGRATION_LOCK = 7_270_001;
const FILE_PATTERN = /^\d{4}_[a-z0-9_]+\.sql$/;

// The SQL files ship via outputFileTracingIncludes in next.config.ts, so the bundler need not trace these reads.
export async function migrate(db: Db, dir = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations')): Promise<string[]> {
  const files = (await fs.readdir(/*turbopackIgnore: true*/ dir)).filter((f) => FILE_PATTERN.test(f)).sort();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
    await tx.query(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = await tx.query<{ name: string }>('select name from schema_migrations');
    const applied = new Set(done.rows.map((r) => r.name));
    const ran: string[] = [];
    for (const file of files) {
      if (applied.has(file)) continue;
      await tx.query(await fs.readFile(/*turbopackIgnore: true*/ path.join(dir, file), 'utf8'));
      await tx.query('insert into schema_migrations (name) values ($1::text)', [file]);
      ran.push(file);
    }
    return ran;
  });
}
