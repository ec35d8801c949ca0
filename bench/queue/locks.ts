// How many task rows one claim leaves row-locked: the claim runs through claimTask on a single
// connection inside a transaction that is rolled back, so the table is unchanged afterwards.
import pg from 'pg';
import type { Db, Queryable, QueryResult } from '@/lib/db/types';
import { claimTask } from '@/lib/queue/claim';
import { taskKinds } from '@/lib/pipeline/workflow';
import type { Caps } from './cueframe';

/** A Db over one client already inside a transaction; nested transactions just join it. */
function clientDb(c: pg.Client): Db {
  const q: Queryable = {
    async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await c.query(text, params ? [...params] : undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
  return { kind: 'pg', query: q.query, transaction: (fn) => fn(q), close: async () => {} };
}

export async function rowsLockedByOneClaim(url: string, caps: Caps): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('begin');
    const task = await claimTask(clientDb(c), {
      invocationId: 'bench:locks', now: new Date(), leaseMs: 60_000, kinds: taskKinds, ...caps,
    });
    if (!task) return 0;
    // Rows this transaction locked or updated carry its xid in xmax; the claimed row itself is one of them.
    const r = await c.query<{ n: string }>(
      `select count(*)::text as n from tasks where xmax::text = (txid_current() % 4294967296)::text and id <> $1::bigint`,
      [task.id],
    );
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await c.query('rollback').catch(() => {});
    await c.end();
  }
}
