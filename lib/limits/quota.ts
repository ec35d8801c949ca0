// Request limits per client, counted in Postgres (db/migrations/0013) so that every instance of a
// serverless deployment shares them. No rate-limit library fits: the usual ones keep counters in
// process memory (one per instance, so N instances allow N times the limit) or in Redis, which this
// app does not have; the database it already has is the one store all instances share.
//
// The windows are fixed: a client gets `quota` requests per window of `windowSeconds`. A fixed window
// is one row per client with one conditional upsert per request, and it maps exactly onto the IETF
// RateLimit fields (remaining quota, seconds until the window ends). Its known weakness, up to twice
// the quota across a window boundary, is acceptable for limits meant to stop floods, not to meter.
// Each client's windows are offset by a hash of its key, so that clients throttled together are not
// all let go in the same second.
import { createHash } from 'node:crypto';
import type { Config } from '@/lib/config';
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';

export interface Quota {
  /** The policy's name: its row key in client_limits and its identifier in the RateLimit fields. */
  policy: 'generate' | 'estimate' | 'admin-login';
  /** Requests allowed per window; 0 turns the limit off. */
  quota: number;
  windowSeconds: number;
}

export function quotaOf(config: Pick<Config, 'limits'>, policy: Quota['policy']): Quota {
  switch (policy) {
    case 'generate':
      return { policy, quota: config.limits.generatePerMinute, windowSeconds: 60 };
    case 'estimate':
      return { policy, quota: config.limits.estimatePerMinute, windowSeconds: 60 };
    case 'admin-login':
      return { policy, quota: config.limits.adminLoginPer15Minutes, windowSeconds: 15 * 60 };
  }
}

function offsetSeconds(client: string, windowSeconds: number): number {
  return createHash('sha256').update(client).digest().readUInt32BE(0) % windowSeconds;
}

/** The end of `client`'s window of `q` that `now` falls in. */
export function windowEnd(q: Pick<Quota, 'windowSeconds'>, client: string, now: Date): Date {
  const w = q.windowSeconds * 1000;
  const offset = offsetSeconds(client, q.windowSeconds) * 1000;
  return new Date(Math.floor((now.getTime() - offset) / w) * w + offset + w);
}

/** The end of the UTC day `now` falls in: the starting-grant allowance renews at midnight UTC. */
export function dayEnd(now: Date): Date {
  const d = new Date(now);
  d.setUTCHours(24, 0, 0, 0);
  return d;
}

export interface Take {
  taken: boolean;
  /** Units used in the window, counting this one if it was taken. */
  used: number;
  resetsAt: Date;
}

const TAKE_SQL = 'select taken, used, resets_at from cueframe_take_quota($1::text, $2::text, $3::timestamptz, $4::int)';

/** Takes one request from `client`'s quota. Null when the limit is off (nothing is read or written). */
export async function takeQuota(q: Queryable, quota: Quota, client: string, now: Date): Promise<Take | null> {
  if (quota.quota === 0) return null;
  const r = await q.query<{ taken: boolean; used: number; resets_at: Date }>(TAKE_SQL, [quota.policy, client, windowEnd(quota, client, now), quota.quota]);
  const row = r.rows[0]!;
  return { taken: row.taken, used: row.used, resetsAt: row.resets_at };
}

/**
 * Reads only: the client's window when its quota is used up, else null (also when the limit is off).
 * For checks that must refuse before they know whether the request would count.
 */
export async function spentQuota(q: Queryable, quota: Quota, client: string, now: Date): Promise<Take | null> {
  if (quota.quota === 0) return null;
  const r = await q.query<{ used: number; resets_at: Date }>(
    'select used, resets_at from client_limits where policy = $1::text and client = $2::text and resets_at >= $3::timestamptz and used >= $4::int',
    [quota.policy, client, windowEnd(quota, client, now), quota.quota],
  );
  const row = r.rows[0];
  return row ? { taken: false, used: row.used, resetsAt: row.resets_at } : null;
}

/** Whole seconds until the window ends, rounded up: a window always ends after now, so this is at least 1. */
export function secondsUntil(resetsAt: Date, now: Date): number {
  return Math.ceil((resetsAt.getTime() - now.getTime()) / 1000);
}

/**
 * The RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers (structured-field
 * form: a quoted policy name, q and w on the policy, r and t on the current limit).
 */
export function rateLimitHeaders(quota: Quota, take: Take, now: Date): Record<string, string> {
  const remaining = take.taken ? Math.max(0, quota.quota - take.used) : 0;
  return {
    'ratelimit-policy': `"${quota.policy}";q=${quota.quota};w=${quota.windowSeconds}`,
    ratelimit: `"${quota.policy}";r=${remaining};t=${secondsUntil(take.resetsAt, now)}`,
  };
}

/** The 429 for a refused take: Retry-After names the same moment as the RateLimit field's t. */
export function rateLimited(quota: Quota, take: Take, now: Date, what: string): AppError {
  const wait = secondsUntil(take.resetsAt, now);
  return new AppError(
    'rate_limited',
    `Too many ${what} from your network: at most ${quota.quota} every ${describeWindow(quota.windowSeconds)}. Try again in ${wait} seconds.`,
    undefined,
    { 'retry-after': String(wait), ...rateLimitHeaders(quota, take, now) },
  );
}

function describeWindow(seconds: number): string {
  return seconds % 60 === 0 ? (seconds === 60 ? 'minute' : `${seconds / 60} minutes`) : `${seconds} seconds`;
}

/** Takes a unit or throws the 429; returns the headers to send with the answer (none when the limit is off). */
export async function enforceQuota(q: Queryable, quota: Quota, client: string, now: Date, what: string): Promise<Record<string, string>> {
  const take = await takeQuota(q, quota, client, now);
  if (!take) return {};
  if (!take.taken) throw rateLimited(quota, take, now, what);
  return rateLimitHeaders(quota, take, now);
}

/** Removes rows whose window has ended: they would be reset on their next take anyway. */
export async function pruneExpiredLimits(q: Queryable, now: Date): Promise<number> {
  return (await q.query('delete from client_limits where resets_at <= $1::timestamptz', [now])).rowCount ?? 0;
}
