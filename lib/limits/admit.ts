// Letting a generate request in before it is accepted: the per-client generate rate, and for an
// anonymous owner's first request, one of the client's starting grants for the day (the owner row is
// created then, not when a page or /api/me is read). One statement, cueframe_admit_generate
// (db/migrations/0013), ahead of the accept call; it is skipped when there is nothing to check.
import type { Config } from '@/lib/config';
import type { Queryable } from '@/lib/db/types';
import { AppError } from '@/lib/errors';
import { dayEnd, quotaOf, rateLimitHeaders, rateLimited, windowEnd } from './quota';

export interface Admission {
  /** Headers for the answer (the RateLimit fields), empty when the generate limit is off. */
  headers: Record<string, string>;
}

const ADMIT_SQL = `select outcome, used, resets_at
  from cueframe_admit_generate($1::text, $2::timestamptz, $3::int, $4::text, $5::timestamptz, $6::int, $7::int, $8::timestamptz)`;

/**
 * Throws the 429 (rate) or the 402 (no grant left for a new owner). When grants are capped, an
 * admitted anonymous owner has its row by now, so cueframe_accept_videos never grants past the cap;
 * uncapped, the accept call creates the row with its grant as before.
 */
export async function admitGenerate(
  q: Queryable,
  config: Pick<Config, 'limits' | 'startingCredits'>,
  r: { ownerId: string; anonymous: boolean; client: string; now: Date },
): Promise<Admission> {
  const rate = quotaOf(config, 'generate');
  const grants = config.limits.anonGrantsPerDay;
  const grantCheck = r.anonymous && grants > 0 && config.startingCredits > 0;
  if (rate.quota === 0 && !grantCheck) return { headers: {} };

  const res = await q.query<{ outcome: 'admitted' | 'rate_limited' | 'no_grant'; used: number | null; resets_at: Date | null }>(ADMIT_SQL, [
    r.client, windowEnd(rate, r.client, r.now), rate.quota,
    r.ownerId, dayEnd(r.now), grantCheck ? grants : 0, config.startingCredits, r.now,
  ]);
  const row = res.rows[0]!;
  if (row.outcome === 'rate_limited') {
    throw rateLimited(rate, { taken: false, used: row.used!, resetsAt: row.resets_at! }, r.now, 'video requests');
  }
  if (row.outcome === 'no_grant') {
    const hours = Math.max(1, Math.ceil((row.resets_at!.getTime() - r.now.getTime()) / 3_600_000));
    throw new AppError(
      'insufficient_credits',
      `You have 0 credits: free starting credits go to at most ${grants} new visitors per network each day, and yours has had them today. ` +
        `Try again after midnight UTC (in about ${hours} ${hours === 1 ? 'hour' : 'hours'}) from this browser, or use an API token with credits.`,
    );
  }
  return { headers: rate.quota > 0 ? rateLimitHeaders(rate, { taken: true, used: row.used!, resetsAt: row.resets_at! }, r.now) : {} };
}

/**
 * What an anonymous owner with no row yet would start with if it asked now: the starting grant while
 * the client's allowance for the day lasts, else 0. Reads only.
 */
export async function startingBalanceFor(
  q: Queryable,
  config: Pick<Config, 'limits' | 'startingCredits'>,
  client: string,
  now: Date,
): Promise<number> {
  const grants = config.limits.anonGrantsPerDay;
  if (grants === 0 || config.startingCredits === 0) return config.startingCredits;
  const r = await q.query<{ used: number }>(
    `select used from client_limits where policy = 'anon-grant' and client = $1::text and resets_at >= $2::timestamptz`,
    [client, dayEnd(now)],
  );
  return (r.rows[0]?.used ?? 0) < grants ? config.startingCredits : 0;
}
