// node-postgres and @vercel/postgres (a Neon pool with pg's API) share this adapter.
import type { Db, DbKind, Queryable, QueryResult } from './types';

interface PgClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  release(err?: Error | boolean): void;
}

export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

function wrap(target: Pick<PgPoolLike, 'query'>): Queryable {
  return {
    async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await target.query(text, params ? [...params] : undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
}

export function poolDb(pool: PgPoolLike, kind: DbKind): Db {
  const root = wrap(pool);
  return {
    kind,
    query: root.query,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
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
    },
    close: () => pool.end(),
  };
}
