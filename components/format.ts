// Small, pure formatting helpers shared by the components.

/**
 * 83_400 → "1:23"; 3_723_000 → "1:02:03". Whole seconds rounded down, like a media player's clock,
 * so a 12.6 s video reads "0:12" both on the page and in the <video> controls beside it.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An ISO-8601 duration for <time dateTime>, e.g. "PT83S". */
export function isoDuration(ms: number): string {
  return `PT${Math.max(0, Math.round(ms / 1000))}S`;
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday"… */
export function formatRelative(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'minute') return rtf.format(Math.round(seconds / size), unit);
  }
  return '';
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : dateFormat.format(t);
}

export function clampPercent(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd4 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

/**
 * An estimated cost: "Free" for a local video that cost nothing, up to 4 decimals below a dollar
 * ("$0.0042", "$0.05"), cents above ("$12.35"), and "< $0.0001" rather than a misleading "$0.0000".
 */
export function formatCost(usd: number, provider: string): string {
  if (!Number.isFinite(usd) || usd <= 0) return provider === 'local' ? 'Free' : usd2.format(0);
  if (usd < 0.0001) return `< ${usd4.format(0.0001)}`;
  return usd < 1 ? usd4.format(usd) : usd2.format(usd);
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const seconds = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return count.format(Number.isFinite(n) ? n : 0);
}

/** 83.44 → "83.4 s". */
export function formatSeconds(s: number): string {
  return `${seconds.format(Number.isFinite(s) ? s : 0)} s`;
}

/**
 * The time left, said the way a person would: "About 40 s left" (rounded up to 5 s), "About 2 min left",
 * "About 1 h 35 min left". Zero or less is "Almost done"; no estimate is null (show nothing).
 */
export function formatEta(ms: number | null | undefined): string | null {
  if (ms == null || !Number.isFinite(ms)) return null;
  if (ms <= 0) return 'Almost done';
  const s = Math.max(5, Math.ceil(ms / 5_000) * 5);
  if (s < 60) return `About ${s} s left`;
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `About ${min} min left`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m ? `About ${h} h ${m} min left` : `About ${h} h left`;
}
