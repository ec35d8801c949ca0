// What the database saw during a phase, read from PostgreSQL's statistics views over a connection to the
// admin database (so the sampling itself never counts against the bench database): transactions and rows
// per request from pg_stat_database, and how many of the server's pooled connections were busy, sampled
// from pg_stat_activity every 100 ms.
import pg from 'pg';
import { serverUrl } from '../lib/db';

export interface DbCounters {
  xactCommit: number;
  xactRollback: number;
  tupInserted: number;
  tupReturned: number;
  tupFetched: number;
}

export async function dbCounters(c: pg.Client, database: string): Promise<DbCounters> {
  const r = await c.query<Record<string, string>>(
    `select xact_commit, xact_rollback, tup_inserted, tup_returned, tup_fetched from pg_stat_database where datname = $1`,
    [database],
  );
  const row = r.rows[0] ?? {};
  return {
    xactCommit: Number(row.xact_commit ?? 0),
    xactRollback: Number(row.xact_rollback ?? 0),
    tupInserted: Number(row.tup_inserted ?? 0),
    tupReturned: Number(row.tup_returned ?? 0),
    tupFetched: Number(row.tup_fetched ?? 0),
  };
}

export function counterDelta(a: DbCounters, b: DbCounters): DbCounters {
  return {
    xactCommit: b.xactCommit - a.xactCommit,
    xactRollback: b.xactRollback - a.xactRollback,
    tupInserted: b.tupInserted - a.tupInserted,
    tupReturned: b.tupReturned - a.tupReturned,
    tupFetched: b.tupFetched - a.tupFetched,
  };
}

export interface Activity {
  samples: number;
  /** Client connections to the bench database (the server's pool), mean and max. */
  meanConnections: number;
  maxConnections: number;
  /** Of those, running a statement (state = active), and open in a transaction between statements. */
  meanActive: number;
  meanIdleInTransaction: number;
  /** Share of samples in which every open connection was busy (active or idle in transaction). */
  saturatedShare: number;
  /** Mean backends waiting on a lock (wait_event_type = Lock). */
  meanLockWaits: number;
}

/** An admin-database client for the stats queries; the caller ends it. */
export async function statsClient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: await serverUrl() });
  await c.connect();
  return c;
}

export function startActivitySampler(c: pg.Client, database: string, intervalMs = 100): { stop(): Promise<Activity> } {
  const rows: Array<{ total: number; active: number; idleTx: number; lock: number }> = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await c.query<{ total: string; active: string; idle_tx: string; lock: string }>(
        `select count(*) as total,
                count(*) filter (where state = 'active') as active,
                count(*) filter (where state like 'idle in transaction%') as idle_tx,
                count(*) filter (where wait_event_type = 'Lock') as lock
         from pg_stat_activity where datname = $1 and backend_type = 'client backend'`,
        [database],
      );
      const x = r.rows[0]!;
      rows.push({ total: Number(x.total), active: Number(x.active), idleTx: Number(x.idle_tx), lock: Number(x.lock) });
      await new Promise((res) => setTimeout(res, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const n = Math.max(1, rows.length);
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
      return {
        samples: rows.length,
        meanConnections: sum((r) => r.total) / n,
        maxConnections: rows.reduce((m, r) => Math.max(m, r.total), 0),
        meanActive: sum((r) => r.active) / n,
        meanIdleInTransaction: sum((r) => r.idleTx) / n,
        saturatedShare: rows.filter((r) => r.total > 0 && r.active + r.idleTx >= r.total).length / n,
        meanLockWaits: sum((r) => r.lock) / n,
      };
    },
  };
}
