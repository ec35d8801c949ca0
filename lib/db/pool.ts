// node-postgres and @vercel/postgres (a Neon pool with pg's API) share this adapter.
import { statementText } from './prepared';
import { retryConflicts } from './retry';
import type { Db, DbKind, Queryable, QueryResult, Statement } from './types';

/** pg's query config: a `name` makes the driver prepare the statement once per connection. */
interface QueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

type PgQuery = (config: string | QueryConfig, params?: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }>;

interface PgClientLike {
  query: PgQuery;
  release(err?: Error | boolean): void;
}

export interface PgPoolLike {
  query: PgQuery;
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

export interface PoolDbOptions {
  /** Prepare named statements (off for a pooler that cannot keep them, see PG_PREPARED_STATEMENTS). */
  prepared?: boolean;
}

function wrap(target: Pick<PgPoolLike, 'query'>, prepared: boolean): Queryable {
  return {
    async query<R>(statement: Statement, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const values = params ? [...params] : undefined;
      const r = prepared && typeof statement !== 'string'
        ? await target.query({ name: statement.name, text: statement.text, values })
        : await target.query(statementText(statement), values);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
}

export function poolDb(pool: PgPoolLike, kind: DbKind, opts: PoolDbOptions = {}): Db {
  const prepared = opts.prepared ?? true;
  const root = wrap(pool, prepared);
  return {
    kind,
    query: root.query,
    // A deadlock or serialization failure is retried whole, on a fresh connection (lib/db/retry.ts).
    transaction: (fn) => retryConflicts(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(wrap(client, prepared));
        await client.query('commit');
        return result;
      } catch (err) {
        try {
          await client.query('rollback');
        } catch (rollbackErr) {
          // A connection that cannot roll back is not returned to the pool.
          broken = rollbackErr as Error;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    }),
    close: () => pool.end(),
  };
}
