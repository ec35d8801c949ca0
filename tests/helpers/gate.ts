// Deterministic interleavings: a Db whose next transaction stops right after a chosen statement has run,
// holding whatever that statement locked, until the test lets it go. Statements still run on the real
// database; only the moment the next one is sent is chosen by the test.
import type { Db, Queryable, Statement } from '@/lib/db/types';
import { statementText } from '@/lib/db/prepared';

export interface Gate {
  /** The gated Db: pass it where the transaction under test runs. */
  db: Db;
  /** Resolves once a transaction has run the matching statement and is holding still. */
  reached: Promise<void>;
  /** Lets that transaction go on. */
  release(): void;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Pauses the first transaction statement whose SQL matches `match`, once (a retried transaction runs through). */
export function pauseAfter(db: Db, match: RegExp): Gate {
  const reached = deferred();
  const released = deferred();
  let fired = false;
  const gated = (tx: Queryable): Queryable => ({
    async query<R>(statement: Statement, params?: readonly unknown[]) {
      const r = await tx.query<R>(statement, params);
      if (!fired && match.test(statementText(statement))) {
        fired = true;
        reached.resolve();
        await released.promise;
      }
      return r;
    },
  });
  return {
    db: {
      kind: db.kind,
      query: <R>(statement: Statement, params?: readonly unknown[]) => db.query<R>(statement, params),
      transaction: (fn) => db.transaction((tx) => fn(gated(tx))),
      close: () => db.close(),
    },
    reached: reached.promise,
    release: released.resolve,
  };
}

/** True while some session of this database waits for a lock another one holds. */
export async function someoneWaitsForALock(q: Queryable): Promise<boolean> {
  const r = await q.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and wait_event_type = 'Lock' and state = 'active'`,
  );
  return r.rows[0]!.n > 0;
}
