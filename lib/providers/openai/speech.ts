// A scene's narration: OpenAI text-to-speech as AAC, streamed to disk and remuxed into an .m4a container.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type OpenAI from 'openai';
import { createCommand, runCommand } from '@/lib/media/ffmpeg';
import { probe } from '@/lib/media/probe';
import type { NarrationResult, SceneInput } from '@/lib/providers/types';
import { malformed, withStepErrors } from './errors';

export const DEFAULT_TTS_MODEL = 'gpt-4o-mini-tts';

// OpenAI's 'aac' is a bare ADTS stream, which has no duration header: a reader can only guess from the bitrate
// and can be off by half on speech with pauses. Copying the stream into MP4 costs no re-encode and gives an
// exact duration, which matters because the scene lasts exactly as long as this file.
async function remuxToM4a(inPath: string, outPath: string, signal: AbortSignal): Promise<void> {
  await mkdir(path.dirname(outPath), { recursive: true });
  const cmd = createCommand()
    .input(inPath)
    .outputOptions(['-map', '0:a:0', '-c:a', 'copy', '-movflags', '+faststart', '-f', 'mp4'])
    .output(outPath);
  await runCommand(cmd, signal, {}, 'remux-speech');
}

const englishNames = new Intl.DisplayNames(['en'], { type: 'language' });

/**
 * The speech model reads the language from the text itself; a short line ("Die Bienen.") can pass for
 * another language, so the models that take instructions are also told which one it is. The tts-1
 * models take none, so they get the text alone.
 */
export function speechInstructions(model: string, language: string): string | undefined {
  if (model.startsWith('tts-1')) return undefined;
  return `Speak in ${englishNames.of(language) ?? language}, with that language's natural pronunciation.`;
}

export async function narrationWithOpenAI(
  client: OpenAI,
  scene: SceneInput,
  outPath: string,
  opts: { model?: string; signal: AbortSignal },
): Promise<NarrationResult> {
  const what = `the narration for scene ${scene.sceneIndex + 1}`;
  const model = opts.model ?? DEFAULT_TTS_MODEL;
  const { signal } = opts;
  return withStepErrors(what, signal, async () => {
    const instructions = speechInstructions(model, scene.language);
    const response = await client.audio.speech.create(
      { model, voice: scene.voice, input: scene.narration, response_format: 'aac', ...(instructions ? { instructions } : {}) },
      { signal },
    );
    if (!response.body) throw malformed(what, 'no audio');
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cueframe-openai-speech-'));
    try {
      const raw = path.join(tmp, 'speech.aac');
      // Streamed chunk by chunk: a long narration never sits in memory whole.
      await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), createWriteStream(raw), { signal });
      // Cancellation is told apart in withStepErrors, so a failure here means the bytes are not audio.
      await remuxToM4a(raw, outPath, signal).catch((err: unknown) => {
        throw malformed(what, 'the audio could not be read', err);
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    const info = await probe(outPath, signal).catch((err: unknown) => {
      throw malformed(what, 'the audio could not be read', err);
    });
    if (!info.streams.some((s) => s.type === 'audio') || info.durationMs <= 0) throw malformed(what, 'the audio is empty');
    return {
      durationMs: info.durationMs,
      usage: [{ item: 'tts_characters', quantity: scene.narration.length, model }],
    };
  });
}
