// Money: credits captured for completed videos, and the estimated provider cost of all usage.
import type { Queryable } from '@/lib/db/types';

/**
 * A capture turns a reservation into spend. The ledger writes the capture with amount 0 (nothing
 * moves at that point; the reserve already took the credits), so the credits spent by a capture are
 * its reservation's, matched by video and round. A capture that carries its own amount counts that.
 * An empty ledger is 0.
 */
export async function spend(q: Queryable): Promise<{ credits: number; usd: number }> {
  const r = await q.query<{ credits: number; usd: number }>(
    `select
       (select coalesce(sum(case when c.amount <> 0 then abs(c.amount) else abs(coalesce(r.amount, 0)) end), 0)::float8
        from credit_ledger c
        left join credit_ledger r on r.video_id = c.video_id and r.round = c.round and r.kind = 'reserve'
        where c.kind = 'capture') as credits,
       (select coalesce(sum(cost_usd), 0)::float8 from usage_items) as usd`,
  );
  return r.rows[0] ?? { credits: 0, usd: 0 };
}
