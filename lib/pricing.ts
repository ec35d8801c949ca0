// Every price Cueframe estimates costs with, in one place (US dollars, list prices; update when the
// vendors do). Unknown models cost 0 and are logged, so the ledger never blocks a video.
import type { UsageItem } from '@/lib/usage/types';

type PriceTable = Record<UsageItem['item'], Record<string, number>>;

export const prices: PriceTable = {
  // per token
  llm_input_tokens: { 'gpt-4o-mini': 0.15 / 1e6, 'gpt-4o': 2.5 / 1e6, 'gpt-4.1-mini': 0.4 / 1e6 },
  llm_output_tokens: { 'gpt-4o-mini': 0.6 / 1e6, 'gpt-4o': 10 / 1e6, 'gpt-4.1-mini': 1.6 / 1e6 },
  // per image, by model:size:quality
  images: {
    'gpt-image-1:1024x1024:low': 0.011, 'gpt-image-1:1024x1024:medium': 0.042, 'gpt-image-1:1024x1024:high': 0.167,
    'gpt-image-1:1536x1024:low': 0.016, 'gpt-image-1:1536x1024:medium': 0.063, 'gpt-image-1:1536x1024:high': 0.25,
    'gpt-image-1:1024x1536:low': 0.016, 'gpt-image-1:1024x1536:medium': 0.063, 'gpt-image-1:1024x1536:high': 0.25,
  },
  // per character of narration (gpt-4o-mini-tts bills by token; ≈ $0.015 per minute of speech)
  tts_characters: { 'gpt-4o-mini-tts': 0.6 / 1e6 * 25, 'tts-1': 15 / 1e6, 'tts-1-hd': 30 / 1e6 },
  // per second of generated video
  runway_seconds: { gen4_turbo: 0.05, gen3a_turbo: 0.05 },
  // per second of our own ffmpeg time: what the compute costs on a Vercel function (≈1.7 GB, $0.18/GB-h)
  render_seconds: { ffmpeg: 0.18 * 1.7 / 3600 },
};

export function priceOf(u: UsageItem): number {
  const unit = prices[u.item]?.[u.model] ?? 0;
  return Math.round(unit * u.quantity * 1e6) / 1e6;
}
