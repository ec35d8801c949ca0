// Formatting for the admin page: short ages and durations, ids and money.

/** 42 → "42 s"; 185 → "3 min 5 s"; 7_500 → "2 h 5 min"; 190_000 → "2 d 4 h". Fractions below 10 s keep one decimal. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, seconds);
  if (s < 10) return `${Math.round(s * 10) / 10} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
  return `${Math.floor(whole / 86_400)} d ${Math.floor((whole % 86_400) / 3600)} h`;
}

/** A lease: "expires in 30 s" or "expired 5 s ago". */
export function formatLease(expiresInSeconds: number): string {
  return expiresInSeconds > 0 ? `expires in ${formatAge(expiresInSeconds)}` : `expired ${formatAge(-expiresInSeconds)} ago`;
}

/** The first block of a UUID, enough to tell videos apart on screen (the full id is in the title). */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** "render 2", "plan", "webhook". Scene indexes are 0-based in the API and 1-based on screen. */
export function stepName(kind: string, sceneIndex: number | null): string {
  return sceneIndex === null ? kind : `${kind} ${sceneIndex + 1}`;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatUsd(value: number): string {
  return usd.format(Number.isFinite(value) ? value : 0);
}

export function formatInt(value: number): string {
  return count.format(Number.isFinite(value) ? value : 0);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}
