// Credits: reserved when a video is accepted, captured when it completes, released when it fails or
// is cancelled. Each movement is one conditional update plus one ledger row, in the caller's
// transaction; the balance can never go negative (a check constraint backs the condition).
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { ADD_TO_COUNTERS, COUNTERS, COUNTER_SHARDS } from '@/lib/queue/counters';

/** Creates the owner with its starting grant on first sight (counting any videos it already has, see 0009). */
export async function ensureOwner(q: Queryable, ownerId: string, grant: number, now: Date): Promise<void> {
  await q.query(
    `with created as (
       insert into owners (id, balance, created_at, active_videos)
       values ($1::text, $2::int, $3::timestamptz,
               -- Gated: values are computed before the conflict is found, and a known owner needs no count.
               (select count(*)::int from videos where owner_id = $1::text and cueframe_video_is_active(status)
                  and not exists (select 1 from owners where id = $1::text)))
       on conflict (id) do nothing
       returning id, balance
     )
     insert into credit_ledger (owner_id, kind, amount, balance_after, note, at)
     select id, 'grant', balance, balance, 'starting grant', $3::timestamptz from created where balance > 0`,
    [ownerId, grant, now],
  );
}

export async function reserveCredits(
  q: Queryable,
  r: { ownerId: string; videoId: string; amount: number; round: number; now: Date },
): Promise<void> {
  const res = await q.query<{ balance: number }>(
    `with taken as (
       update owners set balance = balance - $2::int where id = $1::text and balance >= $2::int returning balance
     )
     insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
     select $1::text, $3::uuid, 'reserve', $4::int, -$2::int, balance, $5::timestamptz from taken
     returning balance_after as balance`,
    [r.ownerId, r.amount, r.videoId, r.round, r.now],
  );
  if (res.rowCount === 0) {
    throw new AppError('insufficient_credits', `This needs ${r.amount} credits, which is more than your balance.`);
  }
}

/**
 * On success the reservation becomes spend; nothing moves, the ledger records it once. The amount
 * reserved is added to the credits_captured total in the same statement, only when the row is new.
 */
export async function captureCredits(q: Queryable, videoId: string, now: Date): Promise<void> {
  await q.query(
    `with reservation as (
       select r.owner_id, r.video_id, r.round, -r.amount as amount, o.balance
       from credit_ledger r join videos v on v.id = r.video_id and v.retry_round = r.round join owners o on o.id = r.owner_id
       where r.video_id = $1::uuid and r.kind = 'reserve'
     ), captured as (
       insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
       select owner_id, video_id, 'capture', round, 0, balance, $2::timestamptz from reservation
       on conflict do nothing
       returning video_id, round
     ), bumps (name, labels, shard, value) as (
       select '${COUNTERS.creditsCaptured}', '{}'::jsonb, (abs(hashtext($1::text)) % ${COUNTER_SHARDS})::smallint, r.amount::bigint
       from captured c join reservation r on r.round = c.round
     )
     ${ADD_TO_COUNTERS}`,
    [videoId, now],
  );
}

/** On failure or cancel the reservation goes back, once: the ledger's unique index refuses a second release. */
export async function releaseCredits(q: Queryable, videoId: string, now: Date): Promise<void> {
  await q.query(
    `with reservation as (
       select r.owner_id, r.round, -r.amount as amount from credit_ledger r join videos v on v.id = r.video_id
       where r.video_id = $1::uuid and r.kind = 'reserve' and r.round = v.retry_round
         and not exists (select 1 from credit_ledger x where x.video_id = r.video_id and x.round = r.round and x.kind in ('capture', 'release'))
     ), refunded as (
       update owners o set balance = o.balance + reservation.amount from reservation where o.id = reservation.owner_id
       returning o.id, o.balance, reservation.amount, reservation.round
     )
     insert into credit_ledger (owner_id, video_id, kind, round, amount, balance_after, at)
     select id, $1::uuid, 'release', round, amount, balance, $2::timestamptz from refunded`,
    [videoId, now],
  );
}
