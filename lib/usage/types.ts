// What a video's usage looks like to a reader: totals per kind, priced.
export interface UsageView {
  llmTokens: number;
  images: number;
  ttsCharacters: number;
  runwaySeconds: number;
  renderSeconds: number;
  /** Estimated from the price table in lib/pricing.ts. */
  costUsd: number;
}
