// The speech measure (tests/helpers/speech-measure.ts) is what the pipeline tests trust to tell a voice
// from a stand-in, so it must pass real speech and fail every kind of not-speech that could replace it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakSentences } from '@/lib/media/speech';
import { engineVoiceFor } from '@/lib/providers/local/voices';
import { noiseAudio, sineAudio, toneAudio, withChordUnder } from '../helpers/audio-fixtures';
import { measureSpeech, THRESHOLDS } from '../helpers/speech-measure';
import { makeTmpDir } from './fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
const file = (name: string) => path.join(tmp.dir, name);

beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-speech-measure-');
  await Promise.all([
    speakSentences({
      sentences: ['Volcanoes form where molten rock rises through the crust.', 'Pressure builds until it finally escapes.'],
      voice: engineVoiceFor('en', 'leo'), outPath: file('speech.m4a'),
    }),
    speakSentences({
      sentences: ['Las abejas recogen el néctar de las flores.', 'En la colmena lo convierten en miel.'],
      voice: engineVoiceFor('es', 'iris'), outPath: file('speech-es.m4a'),
    }),
    sineAudio({ durationMs: 6000, hz: 440, outPath: file('sine.m4a') }),
    toneAudio({ durationMs: 6000, seed: 2, outPath: file('drone.m4a') }),
    noiseAudio({ durationMs: 6000, outPath: file('noise.m4a') }),
  ]);
  // A music bed under the voice must not hide it: here a chord in the speech band that never ducks.
  await withChordUnder({ inPath: file('speech.m4a'), belowDb: 12, outPath: file('speech-bed.m4a') });
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('measureSpeech', () => {
  it.each(['speech.m4a', 'speech-es.m4a', 'speech-bed.m4a'])('passes synthesized speech (%s)', async (name) => {
    const m = await measureSpeech(file(name));
    expect(m, JSON.stringify(m)).toMatchObject({ isSpeech: true });
  });

  it.each([
    ['a sustained 440 Hz tone', 'sine.m4a'],
    ['the two-sine drone with its slow swell', 'drone.m4a'],
    ['white noise', 'noise.m4a'],
  ])('fails %s', async (_what, name) => {
    const m = await measureSpeech(file(name));
    expect(m, JSON.stringify(m)).toMatchObject({ isSpeech: false });
    // Not by a hair: syllable-rate modulation is far under what speech shows.
    expect(m.syllableShare).toBeLessThan(THRESHOLDS.syllableShare / 2);
  });

  it('does not judge under a second of audio', async () => {
    expect((await measureSpeech(file('speech.m4a'), 0, 900)).isSpeech).toBe(false);
    expect((await measureSpeech(file('speech.m4a'), 0, 3000)).isSpeech).toBe(true);
  });
});
