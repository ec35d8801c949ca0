import type { Db } from '@/lib/db/types';
import { ensureOwner } from './credits';

export interface OwnerSummary {
  balance: number;
  tier: 'standard' | 'premium';
  ledger: { kind: string; amount: number; balanceAfter: number; videoId: string | null; at: string }[];
}

export async function ownerSummary(db: Db, ownerId: string, startingCredits: number, now: Date): Promise<OwnerSummary> {
  await ensureOwner(db, ownerId, startingCredits, now);
  const o = (await db.query<{ balance: number; tier: 'standard' | 'premium' }>('select balance, tier from owners where id = $1::text', [ownerId])).rows[0]!;
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
