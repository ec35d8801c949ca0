// Applies db/migrations/NNNN_name.sql in order, each once, then the functions in db/functions/*.sql.
// A transaction-scoped advisory lock serialises processes that start together; the second one finds
// the work done. Both steps share the transaction, so a start that fails leaves nothing half-applied.
//
// Functions live once, in db/functions/<name>.sql, instead of being copied whole into each migration
// that changes them. Each file starts with `-- version: N`. Several deployments can share a database
// (preview, production, a rollback), so a file is applied only when its version is newer than the one
// recorded in schema_functions: a start never replaces a function with an older version, and an
// unchanged one is not re-created. The recorded checksum catches a released function edited without
// a version bump: the same version with different text refuses the start (see FunctionVersionConflict).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './types';

const MIGRATION_LOCK = 7_270_001;
const FILE_PATTERN = /^\d{4}_[a-z0-9_]+\.sql$/;
const FUNCTION_FILE_PATTERN = /^[a-z][a-z0-9_]*\.sql$/;
const VERSION_HEADER = /^-- version: ([1-9]\d*)\n/;

// The SQL files ship via outputFileTracingIncludes in next.config.ts, so the bundler need not trace these reads.
const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');
const FUNCTIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'functions');

export interface MigrateOptions {
  /** Folder of numbered migrations; db/migrations by default. */
  migrations?: string;
  /** Folder of function files; db/functions by default. null skips the step (a deployment from before it existed). */
  functions?: string | null;
}

export interface Migrated {
  /** Migration files applied by this call, in order. */
  migrations: string[];
  /** Function files (names without .sql) created or replaced by this call. */
  functions: string[];
}

export interface FunctionFile {
  name: string;
  version: number;
  checksum: string;
  sql: string;
}

/** Thrown when a function file has the recorded version but different text: a released function was edited without a version bump. */
export class FunctionVersionConflict extends Error {
  constructor(name: string, version: number, recorded: string, file: string) {
    super(
      `db/functions/${name}.sql: version ${version} is already applied with checksum ${recorded}, but this file's is ${file}. ` +
      'A released function is never edited in place: bump its `-- version:` line so every deployment sharing the database agrees which text is newer.',
    );
    this.name = 'FunctionVersionConflict';
  }
}

/** Reads and checks db/functions: one function per file, named as the file, with a version header. */
export async function readFunctionFiles(dir: string): Promise<FunctionFile[]> {
  const names = (await fs.readdir(/*turbopackIgnore: true*/ dir)).filter((f) => f.endsWith('.sql')).sort();
  const out: FunctionFile[] = [];
  for (const file of names) {
    if (!FUNCTION_FILE_PATTERN.test(file)) throw new Error(`db/functions/${file}: file names are the function's name in lower case, e.g. cueframe_claim_task.sql`);
    // A checkout with CRLF line endings must not read as an edit of the same version.
    const sql = (await fs.readFile(path.join(/*turbopackIgnore: true*/ dir, file), 'utf8')).replace(/\r\n/g, '\n');
    const name = file.slice(0, -'.sql'.length);
    const header = VERSION_HEADER.exec(sql);
    if (!header) throw new Error(`db/functions/${file}: the first line must be \`-- version: N\` (a positive whole number)`);
    // One function per file, and the one the file is named after: the version and checksum recorded
    // under this name must describe exactly that function.
    const defs = [...sql.matchAll(/\bcreate\s+(or\s+replace\s+)?function\s+([a-z0-9_."]+)\s*\(/gi)];
    if (defs.length !== 1 || !defs[0]![1] || defs[0]![2] !== name) {
      throw new Error(`db/functions/${file}: must define exactly one function, \`create or replace function ${name}(…)\``);
    }
    out.push({ name, version: Number(header[1]), checksum: createHash('sha256').update(sql).digest('hex'), sql });
  }
  return out;
}

export async function migrate(db: Db, opts: MigrateOptions = {}): Promise<Migrated> {
  const dir = opts.migrations ?? MIGRATIONS_DIR;
  const functionsDir = opts.functions === undefined ? FUNCTIONS_DIR : opts.functions;
  const files = (await fs.readdir(/*turbopackIgnore: true*/ dir)).filter((f) => FILE_PATTERN.test(f)).sort();
  // Read (and checked) before the lock is taken, so a malformed file fails without holding up other starts.
  const functions = functionsDir === null ? [] : await readFunctionFiles(functionsDir);
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
      await tx.query(await fs.readFile(path.join(/*turbopackIgnore: true*/ dir, file), 'utf8'));
      await tx.query('insert into schema_migrations (name) values ($1::text)', [file]);
      ran.push(file);
    }
    if (functionsDir === null) return { migrations: ran, functions: [] };

    // After the migrations: a function may use a column the migrations of this deployment add.
    await tx.query(
      `create table if not exists schema_functions (
         name text primary key,
         version int not null,
         checksum text not null,
         applied_at timestamptz not null default now()
       )`,
    );
    const recorded = await tx.query<{ name: string; version: number; checksum: string }>('select name, version, checksum from schema_functions');
    const byName = new Map(recorded.rows.map((r) => [r.name, r]));
    const replaced: string[] = [];
    for (const f of functions) {
      const have = byName.get(f.name);
      if (have && have.version === f.version && have.checksum !== f.checksum) {
        throw new FunctionVersionConflict(f.name, f.version, have.checksum, f.checksum);
      }
      // Equal: already there. Older: another deployment on this database has moved on; keep its version.
      if (have && have.version >= f.version) continue;
      await tx.query(f.sql);
      await tx.query(
        `insert into schema_functions (name, version, checksum) values ($1::text, $2::int, $3::text)
         on conflict (name) do update set version = excluded.version, checksum = excluded.checksum, applied_at = now()`,
        [f.name, f.version, f.checksum],
      );
      replaced.push(f.name);
    }
    return { migrations: ran, functions: replaced };
  });
}
