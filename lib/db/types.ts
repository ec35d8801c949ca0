// The one database interface the app sees. PGlite, node-postgres and @vercel/postgres all
// implement it, and the SQL passed through it is identical for all three.
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export type DbKind = 'pglite' | 'pg' | 'vercel';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs fn in one transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
