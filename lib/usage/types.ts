// Usage as providers report it (one paid item), and as a reader sees a video's totals, priced.
/** One paid item a provider used, as it reports it; lib/pricing.ts prices it. */
export interface UsageItem {
  item: 'llm_input_tokens' | 'llm_output_tokens' | 'images' | 'tts_characters' | 'runway_seconds' | 'render_seconds';
  quantity: number;
  /** The model or service tier the price depends on, e.g. 'gpt-4o-mini', 'gpt-image-1:1024x1024:medium'. */
  model: string;
}

export interface UsageView {
  llmTokens: number;
  images: number;
  ttsCharacters: number;
  runwaySeconds: number;
  renderSeconds: number;
  /** Estimated from the price table in lib/pricing.ts. */
  costUsd: number;
}
