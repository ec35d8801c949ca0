// What this server can make, so the form offers only choices that will be accepted.
import type { Config } from '@/lib/config';
import { musicBeds, type MusicBed } from '@/lib/media/music-beds';
import { unavailableReason } from '@/lib/providers';
import { languageNames, languages, type Language } from '@/lib/providers/languages';
import {
  motionNames, plannerLanguages, providerLanguages, providerNames, providerVoices,
  type MotionName, type ProviderName, type Voice,
} from '@/lib/providers/types';
import { DEFAULT_MUSIC, DEFAULT_MUSIC_VOLUME } from '@/lib/schemas/video';

export interface LanguageCapability {
  code: Language;
  name: string;
  /** Providers that narrate in it. */
  providers: ProviderName[];
  /** Providers that also write the script in it; with the others a request brings its own script. */
  plannedBy: ProviderName[];
}

export interface Capabilities {
  providers: { name: ProviderName; available: boolean; reason: string | null }[];
  motions: { name: MotionName; available: boolean; reason: string | null }[];
  /** Each provider's voices, its default first. */
  voices: Record<ProviderName, readonly Voice[]>;
  languages: LanguageCapability[];
  music: readonly MusicBed[];
  defaults: { provider: ProviderName; motion: MotionName; voice: Voice; language: Language; music: MusicBed; musicVolume: number };
}

export function capabilities(config: Pick<Config, 'provider' | 'motion' | 'openai' | 'runway'>): Capabilities {
  const providerReason = (name: ProviderName) => unavailableReason(config, { provider: name, motion: 'kenburns' });
  const motionReason = (name: MotionName) => unavailableReason(config, { provider: 'local', motion: name });
  return {
    providers: providerNames.map((name) => ({ name, available: !providerReason(name), reason: providerReason(name) })),
    motions: motionNames.map((name) => ({ name, available: !motionReason(name), reason: motionReason(name) })),
    voices: providerVoices,
    languages: languages.map((code) => ({
      code,
      name: languageNames[code],
      providers: providerNames.filter((p) => providerLanguages[p].includes(code)),
      plannedBy: providerNames.filter((p) => plannerLanguages[p].includes(code)),
    })),
    music: musicBeds,
    defaults: {
      provider: config.provider, motion: config.motion, voice: providerVoices[config.provider][0]!,
      language: 'en', music: DEFAULT_MUSIC, musicVolume: DEFAULT_MUSIC_VOLUME,
    },
  };
}
