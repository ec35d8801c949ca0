// The offline speech engine (eSpeak NG as WebAssembly): it speaks sentence by sentence, and the cues it
// reports are where each sentence's samples are in the file it writes.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDetailed } from '@/lib/media/probe';
import { LEAD_IN_MS, SENTENCE_PAUSE_MS, TAIL_MS, speakSentences, synthesize, type SpeechResult } from '@/lib/media/speech';
import { engineVoiceFor } from '@/lib/providers/local/voices';
import { envelope, speechBandSamples } from '../helpers/speech-measure';
import { makeTmpDir } from './fixtures';

let tmp: Awaited<ReturnType<typeof makeTmpDir>>;
const file = (name: string) => path.join(tmp.dir, name);
const voice = engineVoiceFor('en', 'ava');
const sentences = ['Bees visit thousands of flowers in a single day.', 'Back in the hive, they fan the nectar until it thickens.', 'That is honey.'];
let spoken: SpeechResult;

beforeAll(async () => {
  tmp = await makeTmpDir('cueframe-speech-');
  spoken = await speakSentences({ sentences, voice, outPath: file('three.m4a') });
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('speakSentences', () => {
  it('writes 48 kHz stereo AAC exactly as long as the speech, its pauses and its lead-in and tail', async () => {
    const probed = await probeDetailed(file('three.m4a'));
    expect(probed.streams).toEqual([{ type: 'audio', codec: 'aac', sampleRate: 48000, channels: 2 }]);
    expect(spoken.durationMs).toBe(probed.durationMs);
    const speech = spoken.cues.reduce((n, c) => n + c.endMs - c.startMs, 0);
    expect(Math.abs(spoken.durationMs - (LEAD_IN_MS + speech + 2 * SENTENCE_PAUSE_MS + TAIL_MS))).toBeLessThanOrEqual(3);
  });

  it('gives each sentence a cue as long as that sentence spoken alone, one pause after the one before', async () => {
    expect(spoken.cues.map((c) => c.text)).toEqual(sentences);
    expect(spoken.cues[0]!.startMs).toBe(LEAD_IN_MS);
    for (const [i, cue] of spoken.cues.entries()) {
      const alone = await synthesize(sentences[i]!, voice);
      const aloneMs = (alone.samples.length * 1000) / alone.sampleRate;
      // Within 10 ms: the breathy variants add noise whose edges fall either side of the silence threshold.
      expect(Math.abs(cue.endMs - cue.startMs - aloneMs), `sentence ${i + 1}`).toBeLessThanOrEqual(10);
      if (i > 0) expect(cue.startMs - spoken.cues[i - 1]!.endMs).toBe(SENTENCE_PAUSE_MS);
    }
    // A short sentence gets a short cue: lengths come from the audio, not from sharing the total.
    expect(spoken.cues[2]!.endMs - spoken.cues[2]!.startMs).toBeLessThan(spoken.cues[0]!.endMs - spoken.cues[0]!.startMs);
  });

  it('is silent in the pauses and speaking inside every cue, in the file it wrote', async () => {
    const env = envelope(await speechBandSamples(file('three.m4a')));
    const level = (fromMs: number, toMs: number) => {
      let max = 0;
      for (let f = Math.ceil(fromMs / 10); f < Math.floor(toMs / 10); f++) max = Math.max(max, env[f]!);
      return max;
    };
    const loud = level(0, spoken.durationMs);
    for (const [i, cue] of spoken.cues.entries()) {
      expect(level(cue.startMs, cue.endMs), `cue ${i + 1}`).toBeGreaterThan(loud / 3);
      const next = spoken.cues[i + 1]?.startMs ?? spoken.durationMs;
      // 20 ms either side of the gap for the AAC encoder's smearing.
      expect(level(cue.endMs + 20, next - 20), `after cue ${i + 1}`).toBeLessThan(loud / 100);
    }
    expect(level(0, LEAD_IN_MS - 20)).toBeLessThan(loud / 100);
  });

  it('speaks text that looks like a command-line option, and skips sentences that make no sound', async () => {
    const r = await speakSentences({ sentences: ['-v nosuch -w /etc/passwd', '…', 'Done.'], voice, outPath: file('dash.m4a') });
    expect(r.cues.map((c) => c.text)).toEqual(['-v nosuch -w /etc/passwd', 'Done.']);
    expect(r.cues[0]!.endMs - r.cues[0]!.startMs).toBeGreaterThan(1000);
  });

  it('refuses a voice the engine does not have, saying which', async () => {
    await expect(speakSentences({ sentences: ['Hello.'], voice: { ...voice, language: 'xx-nowhere' }, outPath: file('bad.m4a') }))
      .rejects.toThrow(/xx-nowhere\+f3.*does not exist/);
    await expect(stat(file('bad.m4a'))).rejects.toThrow(/ENOENT/);
  });

  it('stops at once when aborted, writing nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(speakSentences({ sentences, voice, outPath: file('aborted.m4a') }, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(stat(file('aborted.m4a'))).rejects.toThrow(/ENOENT/);
  });
});
