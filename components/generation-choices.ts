// Labels and small pure helpers for the provider / motion / voice / captions choices.
import type { MotionName, ProviderName, Voice } from '@/lib/providers/types';
import type { Capabilities } from '@/lib/videos/capabilities';

export interface GenerationChoice {
  provider: ProviderName;
  motion: MotionName;
  voice: Voice;
  burnCaptions: boolean;
}

export const providerLabels: Record<ProviderName, string> = {
  local: 'Local (free, offline preview)',
  openai: 'OpenAI (AI script, images and narration)',
};

export const motionLabels: Record<MotionName, string> = {
  kenburns: 'Ken Burns (pan & zoom)',
  runway: 'Runway (AI video clips)',
};

const providerShort: Record<ProviderName, string> = { local: 'Local', openai: 'OpenAI' };
const motionShort: Record<MotionName, string> = { kenburns: 'Ken Burns', runway: 'Runway' };

/** A known name's label; anything else (a newer server, an old video) is shown as it came. */
function lookup(table: Record<string, string>, name: string): string {
  return Object.hasOwn(table, name) ? table[name] : name;
}

export const providerName = (name: string): string => lookup(providerShort, name);
export const motionName = (name: string): string => lookup(motionShort, name);
export const providerLabel = (name: string): string => lookup(providerLabels, name);
export const motionLabel = (name: string): string => lookup(motionLabels, name);

/** Only the OpenAI provider speaks; the local one plays a soft tone instead of narration. */
export function usesVoice(provider: string): boolean {
  return provider === 'openai';
}

/** "Local · Ken Burns · alloy", with "captions" added when they are burned into the picture. */
export function choiceSummary(c: { provider: string; motion: string; voice: string; burnCaptions?: boolean }): string {
  const parts = [providerName(c.provider), motionName(c.motion), c.voice];
  if (c.burnCaptions) parts.push('captions');
  return parts.filter(Boolean).join(' · ');
}

/** The server's defaults with whatever the person changed on top; null until the server has answered. */
export function effectiveChoice(
  caps: Capabilities | undefined,
  changes: Partial<GenerationChoice>,
): GenerationChoice | null {
  if (!caps) return null;
  const chosen = { provider: caps.defaults.provider, motion: caps.defaults.motion, voice: caps.defaults.voice, burnCaptions: false, ...changes };
  // A voice belongs to its provider: after a change of provider, the new one's default speaks.
  const voices = caps.voices[chosen.provider];
  return voices.includes(chosen.voice) ? chosen : { ...chosen, voice: voices[0] ?? chosen.voice };
}

/** The server's reasons for the options it can't offer, as one hint (null when all are available). */
export function unavailableHint(
  options: readonly { name: string; available: boolean; reason: string | null }[],
  shortName: (name: string) => string,
): string | null {
  const reasons = options
    .filter((opt) => !opt.available)
    .map((opt) => opt.reason?.trim() || `${shortName(opt.name)} isn’t available on this server.`);
  return reasons.length > 0 ? reasons.join(' ') : null;
}
