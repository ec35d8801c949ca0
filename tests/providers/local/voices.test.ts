// The local voices as the engine speaks them: every language has all four, each names a language voice
// and a variant the engine really has (it would silently fall back to its default for an unknown variant),
// and the languages do not share one accent.
import { describe, expect, it } from 'vitest';
import { engineVoices } from '@/lib/media/speech';
import { languages } from '@/lib/providers/languages';
import { engineVoiceFor, localVoiceTable } from '@/lib/providers/local/voices';
import { splitSentences } from '@/lib/providers/local/sentences';
import { localVoices, providerVoices } from '@/lib/providers/types';

describe('local voices', () => {
  it('maps every voice in every language to a language voice and variant the engine has', async () => {
    const engine = await engineVoices();
    expect(Object.keys(localVoiceTable).sort()).toEqual([...languages].sort());
    for (const language of languages) {
      for (const voice of localVoices) {
        const v = engineVoiceFor(language, voice);
        expect(engine.languages, `${language}/${voice}`).toContain(v.language);
        expect(engine.variants, `${language}/${voice}`).toContain(v.variant);
        expect(v.speed).toBeGreaterThanOrEqual(130);
        expect(v.speed).toBeLessThanOrEqual(175);
      }
      // Four voices a listener can tell apart.
      expect(new Set(localVoices.map((voice) => engineVoiceFor(language, voice).variant)).size).toBe(localVoices.length);
    }
  });

  it('speaks each language with its own language voice', () => {
    const spoken = new Set(languages.map((l) => engineVoiceFor(l, 'ava').language));
    expect(spoken.size).toBe(languages.length);
    expect(engineVoiceFor('es', 'leo').language).not.toBe(engineVoiceFor('en', 'leo').language);
  });

  it('offers exactly the mapped voices for the local provider', () => {
    expect([...providerVoices.local]).toEqual([...localVoices]);
    for (const language of languages) expect(Object.keys(localVoiceTable[language].variants).sort()).toEqual([...localVoices].sort());
  });

  it('falls back to the first voice for a voice from before local voices existed', () => {
    expect(engineVoiceFor('en', 'alloy')).toEqual(engineVoiceFor('en', 'ava'));
    expect(engineVoiceFor('xx', 'leo')).toEqual(engineVoiceFor('en', 'leo'));
  });
});

describe('splitSentences', () => {
  it.each([
    ['en', "Let's explore how bees make honey. Dr. Smith said so! Is it 3.5 m tall?", ["Let's explore how bees make honey.", 'Dr. Smith said so!', 'Is it 3.5 m tall?']],
    ['es', '¿Cómo hacen miel las abejas? ¡Es fascinante! Lo vemos aquí.', ['¿Cómo hacen miel las abejas?', '¡Es fascinante!', 'Lo vemos aquí.']],
    ['fr', "« Bonjour ! » dit-il. M. Dupont est là.", ['« Bonjour ! » dit-il.', 'M. Dupont est là.']],
    ['de', 'Keine Satzzeichen hier', ['Keine Satzzeichen hier']],
    ['en', '  Spaces\n\nand   lines.  ', ['Spaces and lines.']],
  ])('splits %s narration into sentences', (language, text, expected) => {
    expect(splitSentences(text, language)).toEqual(expected);
  });
});
