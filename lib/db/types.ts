// The one database interface the app sees. PGlite, node-postgres and @vercel/postgres all
// implement it, and the SQL passed through it is identical for all three.
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * A hot statement that the PostgreSQL adapters prepare once per connection, by name, instead of
 * parsing and planning it on every call (planning was over half of a status poll's database time).
 * Made with `prepared()`; its result columns must be listed, never `*`, because a prepared plan whose
 * result type changes (a migration adding a column) fails until the connection is gone.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export type Statement = string | PreparedStatement;

export interface Queryable {
  query<R = Record<string, unknown>>(statement: Statement, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export type DbKind = 'pglite' | 'pg' | 'vercel';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /**
   * Runs fn in one transaction on one connection; commits if it resolves, rolls back if it throws.
   * A deadlock or serialization failure rolls the whole transaction back and runs fn again, up to
   * TRANSACTION_ATTEMPTS times (lib/db/retry.ts), so fn must do nothing outside the database that a
   * second run would repeat. Transactions that lock a video and its rows follow the lock order in
   * lib/videos/lock-order.ts.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
