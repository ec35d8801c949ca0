'use client';

import { useMe } from '@/lib/swr/use-me';

/** The header's credit balance. Credits are reserved when a video starts and refunded if it fails. */
export function CreditBalance() {
  const { me } = useMe();
  if (!me) return null;
  return (
    <span className="credit-balance" title="Credits left. A video reserves its cost when it starts and gets it back if it fails or is cancelled.">
      <span className="sr-only">Credit balance: </span>
      {me.balance} {me.balance === 1 ? 'credit' : 'credits'}
      {me.tier === 'premium' ? <span className="tier-badge">Premium</span> : null}
    </span>
  );
}
