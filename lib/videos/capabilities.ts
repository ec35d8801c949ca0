// What this server can make, so the form offers only choices that will be accepted.
import type { Config } from '@/lib/config';
import { musicBeds, type MusicBed } from '@/lib/media/music-beds';
import { unavailable, type Unavailable } from '@/lib/providers';
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

/** One choice and whether this server offers it: `reason` says why not in words, `code` names it for programs. */
export interface OptionCapability<Name extends string> {
  name: Name;
  available: boolean;
  reason: string | null;
  code: Unavailable['code'] | null;
}

export interface Capabilities {
  providers: OptionCapability<ProviderName>[];
  motions: OptionCapability<MotionName>[];
  /** Each provider's voices, its default first. */
  voices: Record<ProviderName, Voice[]>;
  languages: LanguageCapability[];
  music: MusicBed[];
  defaults: { provider: ProviderName; motion: MotionName; voice: Voice; language: Language; music: MusicBed; musicVolume: number };
}

export function capabilities(config: Pick<Config, 'provider' | 'motion' | 'openai' | 'runway'>): Capabilities {
  const option = <Name extends string>(name: Name, missing: Unavailable | null): OptionCapability<Name> =>
    ({ name, available: !missing, reason: missing?.reason ?? null, code: missing?.code ?? null });
  return {
    providers: providerNames.map((name) => option(name, unavailable(config, { provider: name, motion: 'kenburns' }))),
    motions: motionNames.map((name) => option(name, unavailable(config, { provider: 'local', motion: name }))),
    // Copies, not lib's `as const` tables: the answer is plain data a client may hold and change.
    voices: { local: [...providerVoices.local], openai: [...providerVoices.openai] },
    languages: languages.map((code) => ({
      code,
      name: languageNames[code],
      providers: providerNames.filter((p) => providerLanguages[p].includes(code)),
      plannedBy: providerNames.filter((p) => plannerLanguages[p].includes(code)),
    })),
    music: [...musicBeds],
    defaults: {
      provider: config.provider, motion: config.motion, voice: providerVoices[config.provider][0]!,
      language: 'en', music: DEFAULT_MUSIC, musicVolume: DEFAULT_MUSIC_VOLUME,
    },
  };
}
