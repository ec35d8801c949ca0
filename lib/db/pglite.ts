// Embedded PostgreSQL for zero-configuration runs. PGlite is single-process: a lock file
// makes a second process fail with a clear message instead of corrupting the data directory.
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { statementText } from './prepared';
import { retryConflicts } from './retry';
import type { Db, Queryable, QueryResult, Statement } from './types';
import { isAlive } from '@/lib/pid';

type PgliteLike = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(target: PgliteLike): Queryable {
  return {
    async query<R>(statement: Statement, params?: readonly unknown[]): Promise<QueryResult<R>> {
      // One process, one session: nothing to gain from naming statements here.
      const text = statementText(statement);
      // Parameterless scripts (migrations) may hold several statements, which only exec accepts.
      if (!params || params.length === 0) {
        const results = await target.exec(text);
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) as R[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
      }
      const r = await target.query<R>(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  };
}

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database at ${dir} is already open in process ${pid}. ` +
        'PGlite allows one process at a time: stop that process (for example a running `npm run dev`), ' +
        'or set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DataDirInUseError';
  }
}

/** Takes the directory's lock file, or throws DataDirInUseError if a live process holds it. */
export function acquireDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'cueframe.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dir, holder);
      }
      // Left behind by a crashed process (or by this one before a dev-server reload): take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirInUseError(dir, -1);
}

/** dir undefined means in memory (tests). */
export async function createPgliteDb(dir?: string): Promise<Db> {
  const release = dir ? acquireDirLock(dir) : () => {};
  let pg: PGlite;
  try {
    // Loaded at run time, out of the tracer's sight: the instrumentation trace, which Vercel adds to every
    // function, would otherwise carry PGlite's 20 MB everywhere, and it never runs on Vercel (lib/db/index.ts).
    const { PGlite: Pglite, types } = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@electric-sql/pglite');
    // PGlite ships contrib extensions as separate modules that must be loaded here before a migration can
    // `create extension` them: pg_trgm and btree_gin make the topic search index (0019).
    const { pg_trgm } = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@electric-sql/pglite/contrib/pg_trgm');
    const { btree_gin } = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@electric-sql/pglite/contrib/btree_gin');
    // int8 and numeric come back as strings, exactly as node-postgres returns them.
    pg = await Pglite.create(dir ?? 'memory://', {
      parsers: { [types.INT8]: (v: string) => v, [types.NUMERIC]: (v: string) => v },
      extensions: { pg_trgm, btree_gin },
    });
  } catch (err) {
    release();
    throw err;
  }
  const root = wrap(pg);
  return {
    kind: 'pglite',
    query: root.query,
    // PGlite runs one transaction at a time and so never deadlocks; it retries the same errors as the
    // other adapters anyway, so that a transaction body behaves alike on all three.
    transaction: (fn) => retryConflicts(() => pg.transaction((tx) => fn(wrap(tx)))),
    async close() {
      await pg.close();
      release();
    },
  };
}
