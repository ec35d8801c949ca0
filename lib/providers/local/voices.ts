// The local provider's voices, as eSpeak NG speaks them in each language. A voice is a language voice plus a
// variant (a file in espeak-ng-data/voices/!v that sets pitch range, breathiness and tone); the WebAssembly
// build has no Klatt synthesizer, so only formant variants are used. The choices, by ear-proxy: variants
// with some breath or a softened top end sound less buzzy than the plain default, and the variants that
// eSpeak's contributors made for their own language (michel, miguel, antonio, Henrique) are used for it.
// tests/providers/local/voices.test.ts checks every entry against the engine's real voice data.
import type { EngineVoice } from '@/lib/media/speech';
import type { Language } from '@/lib/providers/languages';
import type { localVoices } from '@/lib/providers/types';

type LocalVoice = (typeof localVoices)[number];

interface LanguageVoices {
  /** eSpeak NG's voice for the language. */
  language: string;
  /** Words per minute: a little under eSpeak's 175, which listeners find hurried. */
  speed: number;
  variants: Record<LocalVoice, { variant: string; pitch: number }>;
}

// American English, Latin American Spanish and Brazilian Portuguese: the forms most listeners speak.
export const localVoiceTable: Record<Language, LanguageVoices> = {
  en: { language: 'en-us', speed: 160, variants: { ava: { variant: 'f3', pitch: 50 }, iris: { variant: 'belinda', pitch: 50 }, leo: { variant: 'Michael', pitch: 50 }, max: { variant: 'iven3', pitch: 40 } } },
  es: { language: 'es-419', speed: 150, variants: { ava: { variant: 'f3', pitch: 50 }, iris: { variant: 'belinda', pitch: 50 }, leo: { variant: 'miguel', pitch: 50 }, max: { variant: 'iven3', pitch: 40 } } },
  fr: { language: 'fr', speed: 155, variants: { ava: { variant: 'f3', pitch: 50 }, iris: { variant: 'belinda', pitch: 50 }, leo: { variant: 'michel', pitch: 50 }, max: { variant: 'iven3', pitch: 40 } } },
  de: { language: 'de', speed: 150, variants: { ava: { variant: 'f3', pitch: 50 }, iris: { variant: 'belinda', pitch: 50 }, leo: { variant: 'Michael', pitch: 50 }, max: { variant: 'iven3', pitch: 40 } } },
  it: { language: 'it', speed: 150, variants: { ava: { variant: 'f3', pitch: 50 }, iris: { variant: 'belinda', pitch: 50 }, leo: { variant: 'antonio', pitch: 50 }, max: { variant: 'iven3', pitch: 40 } } },
  pt: { language: 'pt-br', speed: 150, variants: { ava: { variant: 'f3', pitch: 50 }, iris: { variant: 'belinda', pitch: 50 }, leo: { variant: 'Henrique', pitch: 50 }, max: { variant: 'iven3', pitch: 40 } } },
};

/** How the engine speaks `voice` in `language`; an unknown pair falls back to that language's first voice, then English. */
export function engineVoiceFor(language: string, voice: string): EngineVoice {
  const lang = localVoiceTable[language as Language] ?? localVoiceTable.en;
  const v = lang.variants[voice as LocalVoice] ?? lang.variants.ava;
  return { language: lang.language, variant: v.variant, speed: lang.speed, pitch: v.pitch };
}
