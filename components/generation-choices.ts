// Labels and small pure helpers for the choices the server offers: provider, motion, voice, language,
// music and captions. The lists themselves always come from /api/capabilities.
import { languageNames } from '@/lib/providers/languages';
import { providerVoices, type MotionName, type ProviderName, type Voice } from '@/lib/providers/types';
import type { Capabilities, LanguageCapability } from '@/lib/videos/capabilities';

export interface GenerationChoice {
  provider: ProviderName;
  motion: MotionName;
  voice: Voice;
  language: Capabilities['defaults']['language'];
  music: Capabilities['defaults']['music'];
  /** 0 (silent) to 1. */
  musicVolume: number;
  burnCaptions: boolean;
}

export const providerLabels: Record<ProviderName, string> = {
  local: 'Local (free, works offline)',
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
/** "Español" for "es"; an unknown code as it came. */
export const languageName = (code: string): string => lookup(languageNames, code);

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "Ava" for the voice "ava", "Alloy" for "alloy". */
export const voiceLabel = (voice: string): string => capitalised(voice);
/** 'none' is "No music"; a bed's name is its label ("Calm"). */
export const musicLabel = (bed: string): string => (bed === 'none' ? 'No music' : capitalised(bed));

/**
 * Whether this video speaks with one of its provider's voices. Videos made before the local provider
 * could speak still carry the old default "alloy", which no local voice ever said.
 */
export function hasVoice(provider: string, voice: string | null | undefined): boolean {
  return Boolean(voice) && Object.hasOwn(providerVoices, provider) && providerVoices[provider as ProviderName].includes(voice!);
}

/**
 * "Local · Ken Burns · Ava", then the language when it isn't English, the music when there is some,
 * and "captions" when they are burned into the picture.
 */
export function choiceSummary(c: {
  provider: string; motion: string; voice?: string | null; language?: string; music?: string; burnCaptions?: boolean;
}): string {
  const parts = [providerName(c.provider), motionName(c.motion)];
  if (hasVoice(c.provider, c.voice)) parts.push(voiceLabel(c.voice!));
  if (c.language && c.language !== 'en') parts.push(languageName(c.language));
  if (c.music && c.music !== 'none') parts.push(`${c.music} music`);
  if (c.burnCaptions) parts.push('captions');
  return parts.filter(Boolean).join(' · ');
}

/** The languages the server narrates in with this provider, in the server's order. */
export function languagesFor(caps: Capabilities, provider: string): LanguageCapability[] {
  return caps.languages.filter((l) => (l.providers as readonly string[]).includes(provider));
}

/** Whether this provider can't write a script in the chosen language, so the person has to. */
export function needsOwnScript(caps: Capabilities, choice: Pick<GenerationChoice, 'provider' | 'language'>): boolean {
  const lang = caps.languages.find((l) => l.code === choice.language);
  return Boolean(lang) && !lang!.plannedBy.includes(choice.provider);
}

/** Why the script mode is on by force, in words: "The local engine writes scripts in English only…". */
export function ownScriptReason(caps: Capabilities, choice: Pick<GenerationChoice, 'provider' | 'language'>): string | null {
  if (!needsOwnScript(caps, choice)) return null;
  const planned = caps.languages.filter((l) => l.plannedBy.includes(choice.provider)).map((l) => l.name);
  const engine = choice.provider === 'local' ? 'The free local engine' : providerName(choice.provider);
  const writes = planned.length > 0 ? `writes scripts in ${listOf(planned)} only` : 'doesn’t write scripts';
  return `${engine} ${writes}. For a video in ${languageName(choice.language)}, write your own script: it will be read aloud just as you write it.`;
}

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The server's defaults with whatever the person changed on top; null until the server has answered. */
export function effectiveChoice(
  caps: Capabilities | undefined,
  changes: Partial<GenerationChoice>,
): GenerationChoice | null {
  if (!caps) return null;
  const d = caps.defaults;
  const chosen: GenerationChoice = {
    provider: d.provider, motion: d.motion, voice: d.voice, language: d.language, music: d.music, musicVolume: d.musicVolume,
    burnCaptions: false, ...changes,
  };
  // A voice belongs to its provider: after a change of provider, the new one's default speaks.
  const voices = caps.voices[chosen.provider] ?? [];
  if (!voices.includes(chosen.voice)) chosen.voice = voices[0] ?? chosen.voice;
  // Likewise a language the new provider doesn't narrate falls back to the server's default.
  if (!languagesFor(caps, chosen.provider).some((l) => l.code === chosen.language)) chosen.language = d.language;
  if (!caps.music.includes(chosen.music)) chosen.music = d.music;
  return chosen;
}

// Reasons written for people never name a setting; one that does (an older server) reads as a plain
// sentence instead, so the form never shows "SOME_API_KEY".
const SETTING_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

/** The server's reasons for the options it can't offer, as one hint (null when all are available). */
export function unavailableHint(
  options: readonly { name: string; available: boolean; reason: string | null }[],
  shortName: (name: string) => string,
): string | null {
  const reasons = options
    .filter((opt) => !opt.available)
    .map((opt) => {
      const reason = opt.reason?.trim();
      return reason && !SETTING_NAME.test(reason) ? reason : `${shortName(opt.name)} isn’t available on this server.`;
    });
  return reasons.length > 0 ? reasons.join(' ') : null;
}
