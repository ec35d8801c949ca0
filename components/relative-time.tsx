'use client';

import { formatDateTime, formatRelative } from './format';
import { useNow } from './use-now';

/** A <time> element reading "5 minutes ago", with the full date as its tooltip. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const now = useNow();
  const full = formatDateTime(iso);
  return (
    <time dateTime={iso} title={full} className={className}>
      {now ? formatRelative(iso, now) : full}
    </time>
  );
}
