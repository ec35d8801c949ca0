// The cost ledger: what each completed step used, priced from lib/pricing.ts.
import type { Queryable } from '@/lib/db/types';
import { priceOf } from '@/lib/pricing';
import type { UsageItem } from '@/lib/providers/types';

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

export interface UsageSummary {
  llmTokens: number;
  images: number;
  ttsCharacters: number;
  runwaySeconds: number;
  renderSeconds: number;
  costUsd: number;
}

export async function usageSummary(q: Queryable, videoId: string): Promise<UsageSummary> {
  const r = await q.query<Record<string, string | null>>(
    `select sum(quantity) filter (where item in ('llm_input_tokens', 'llm_output_tokens')) as llm,
            sum(quantity) filter (where item = 'images') as images,
            sum(quantity) filter (where item = 'tts_characters') as tts,
            sum(quantity) filter (where item = 'runway_seconds') as runway,
            sum(quantity) filter (where item = 'render_seconds') as render,
            sum(cost_usd) as cost
     from usage_items where video_id = $1::uuid`,
    [videoId],
  );
  const row = r.rows[0] ?? {};
  const n = (v: string | null | undefined) => Number(v ?? 0);
  return {
    llmTokens: n(row.llm),
    images: n(row.images),
    ttsCharacters: n(row.tts),
    runwaySeconds: n(row.runway),
    renderSeconds: Math.round(n(row.render) * 10) / 10,
    costUsd: Math.round(n(row.cost) * 10_000) / 10_000,
  };
}
