import type { Db } from '@/lib/db/types';

export interface OwnerSummary {
  balance: number;
  tier: 'standard' | 'premium';
  ledger: { kind: string; amount: number; balanceAfter: number; videoId: string | null; at: string }[];
}

/**
 * Reads only: an owner row is made by the first request that needs one (generate, lib/limits/admit.ts),
 * never by looking. For an owner with no row yet, `balanceIfNew` says what it would start with.
 */
export async function ownerSummary(db: Db, ownerId: string, balanceIfNew: () => Promise<number>): Promise<OwnerSummary> {
  const o = (await db.query<{ balance: number; tier: 'standard' | 'premium' }>('select balance, tier from owners where id = $1::text', [ownerId])).rows[0];
  if (!o) return { balance: await balanceIfNew(), tier: 'standard', ledger: [] };
  const l = await db.query<{ kind: string; amount: number; balance_after: number; video_id: string | null; at: Date }>(
    'select kind, amount, balance_after, video_id, at from credit_ledger where owner_id = $1::text order by id desc limit 20',
    [ownerId],
  );
  return {
    balance: o.balance,
    tier: o.tier,
    ledger: l.rows.map((r) => ({ kind: r.kind, amount: r.amount, balanceAfter: r.balance_after, videoId: r.video_id, at: r.at.toISOString() })),
  };
}
