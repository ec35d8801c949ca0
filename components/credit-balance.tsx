'use client';

import { useMe } from '@/lib/swr/use-me';

// Large balances read "12.5K": the header holds one row on a phone whatever the count.
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const exact = new Intl.NumberFormat('en');

/** "95", "9,999", then "12.5K", "100K", "1.2M". */
export function shortCount(n: number): string {
  return Math.abs(n) >= 10_000 ? compact.format(n) : exact.format(n);
}

/** The header's credit balance. Credits are reserved when a video starts and refunded if it fails. */
export function CreditBalance() {
  const { me } = useMe();
  if (!me) return null;
  const unit = me.balance === 1 ? 'credit' : 'credits';
  return (
    <span className="credit-balance"
      title={`${exact.format(me.balance)} ${unit} left. A video reserves its cost when it starts and gets it back if it fails or is cancelled.`}>
      <span className="sr-only">Credit balance: </span>
      {shortCount(me.balance)} {unit}
      {me.tier === 'premium' ? <span className="tier-badge">Premium</span> : null}
    </span>
  );
}
