// The cost ledger: what each completed step used, priced from lib/pricing.ts.
import type { Queryable } from '@/lib/db/types';
import { priceOf } from '@/lib/pricing';
import type { UsageItem, UsageView } from './types';

/** Runs in the step's completion transaction; a repeated completion records nothing new. */
export async function recordUsage(tx: Queryable, videoId: string, taskId: string, items: UsageItem[], at: Date): Promise<void> {
  if (items.length === 0) return;
  await tx.query(
    `insert into usage_items (video_id, task_id, item, model, quantity, cost_usd, at)
     select $1::uuid, $2::bigint, u.item, u.model, u.quantity, u.cost, $7::timestamptz
     from unnest($3::text[], $4::text[], $5::numeric[], $6::numeric[]) as u(item, model, quantity, cost)
     on conflict (task_id, item, model) do nothing`,
    [videoId, taskId, items.map((i) => i.item), items.map((i) => i.model), items.map((i) => i.quantity),
     items.map(priceOf), at],
  );
}

/** What a video's usage adds up to, as the status route shows it. */
export type UsageSummary = UsageView;

// The sums for one video as a JSON object, for a statement that already has the video as `v`, so the
// status route reads a video, its scenes and its usage in one round trip. `n` counts the items: they
// are only ever inserted, so the count changes whenever the sums do.
export const USAGE_SUMS_JSON = `(select json_build_object(
    'llm', sum(u.quantity) filter (where u.item in ('llm_input_tokens', 'llm_output_tokens')),
    'images', sum(u.quantity) filter (where u.item = 'images'),
    'tts', sum(u.quantity) filter (where u.item = 'tts_characters'),
    'runway', sum(u.quantity) filter (where u.item = 'runway_seconds'),
    'render', sum(u.quantity) filter (where u.item = 'render_seconds'),
    'cost', sum(u.cost_usd),
    'n', count(*))
  from usage_items u where u.video_id = v.id)`;

export interface UsageSums {
  llm: number | string | null;
  images: number | string | null;
  tts: number | string | null;
  runway: number | string | null;
  render: number | string | null;
  cost: number | string | null;
  n: number;
}

export function usageFromSums(row: Partial<UsageSums> | null): UsageSummary {
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  return {
    llmTokens: n(row?.llm),
    images: n(row?.images),
    ttsCharacters: n(row?.tts),
    runwaySeconds: n(row?.runway),
    renderSeconds: Math.round(n(row?.render) * 10) / 10,
    costUsd: Math.round(n(row?.cost) * 10_000) / 10_000,
  };
}
