// Offline speech: eSpeak NG compiled to WebAssembly (the `espeak-ng` npm package, GPL-3.0-or-later, voices
// included), so narration needs no network, no key and no system binary. Only the local provider loads this
// file, and only with a dynamic import when it narrates, so nothing else pays for the engine.
//
// Each sentence is synthesized on its own and measured from its samples; the sentences are then laid end to
// end with short pauses, so caption cues come from the real audio rather than from word counts.
import { createRequire } from 'node:module';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUDIO_RATE, audioOutputOptions } from './encoding';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import { probe } from './probe';
import type { Cue } from './types';

/** What the engine is asked to speak with. */
export interface EngineVoice {
  /** An eSpeak NG language voice, e.g. 'en-us', 'es-419'. */
  language: string;
  /** An eSpeak NG voice variant (a file in espeak-ng-data/voices/!v), e.g. 'f3'. */
  variant: string;
  /** Words per minute (eSpeak's default is 175). */
  speed: number;
  /** Base pitch, 0-99 (eSpeak's default is 50). */
  pitch: number;
}

export interface SpeechSpec {
  /** The narration, already split into sentences; each becomes one cue. */
  sentences: string[];
  voice: EngineVoice;
  outPath: string;
}

export interface SpeechResult {
  /** The length of the audio written, read back from the file. */
  durationMs: number;
  /** One per sentence: where its speech starts and ends in the audio written. */
  cues: Cue[];
}

export interface Pcm {
  samples: Int16Array;
  sampleRate: number;
}

// Pauses a listener hears as a narrator's breath: a little before the first word (a scene does not start
// mid-syllable), between sentences, and after the last (so the next scene does not start on top of it).
export const LEAD_IN_MS = 150;
export const SENTENCE_PAUSE_MS = 350;
export const TAIL_MS = 350;

// Samples below this (about -54 dBFS) are the engine's silence; trimming at it keeps soft final consonants.
const SILENCE = 64;
// Speech is normalised to this peak so every scene and voice plays at the same level, with headroom for AAC.
const TARGET_PEAK = 0.8 * 32767;

const DATA_DIR = '/usr/local/share/espeak-ng-data';

interface EngineModule {
  FS: {
    writeFile(p: string, data: string | Uint8Array): void;
    readFile(p: string): Uint8Array;
    readdir(p: string): string[];
    mkdir(p: string): void;
    createPath: (parent: string, p: string, canRead?: boolean, canWrite?: boolean) => string;
  };
}

interface EngineOptions {
  arguments: string[];
  print: (line: string) => void;
  printErr: (line: string) => void;
  preRun: Array<(m: EngineModule) => void>;
  instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => object;
}

type EngineFactory = (opts: EngineOptions) => Promise<EngineModule>;

interface Engine {
  factory: EngineFactory;
  wasm: WebAssembly.Module;
}

// Resolved from the project root, not through an import the bundler could follow: next.config.ts ships the
// package to the worker functions only, and every other function stays free of its 18 MB.
function projectRequire(): NodeJS.Require {
  return createRequire(path.join(/* turbopackIgnore: true */ process.cwd(), 'package.json'));
}

let engine: Promise<Engine> | undefined;

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const entry = projectRequire().resolve('espeak-ng');
    const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(entry).href)) as { default: EngineFactory };
    // Compiled once per process; every utterance gets a fresh instance of it (the engine is a CLI whose
    // main() runs once per instance), which costs tens of milliseconds instead of a recompile.
    const bytes = await readFile(path.join(/* turbopackIgnore: true */ path.dirname(entry), 'espeak-ng.wasm'));
    return { factory: mod.default, wasm: await WebAssembly.compile(bytes) };
  })();
  // A failed load (a missing file) is not cached, so the next attempt can succeed once it is fixed.
  engine.catch(() => {
    engine = undefined;
  });
  return engine;
}

/**
 * The build loads its embedded voice data with one mkdir per path component per file, and every existing
 * directory throws an error that captures a stack trace: most of an instance's start-up. Directories made
 * once are remembered instead.
 */
function fastCreatePath(m: EngineModule): void {
  const made = new Set<string>();
  m.FS.createPath = (parent, p) => {
    let current = parent === '/' ? '' : parent;
    for (const part of p.split('/')) {
      if (!part) continue;
      current += `/${part}`;
      if (made.has(current)) continue;
      made.add(current);
      try {
        m.FS.mkdir(current);
      } catch {
        // It exists already.
      }
    }
    return current || '/';
  };
}

async function run(args: string[], prepare: (m: EngineModule) => void = () => {}): Promise<{ instance: EngineModule; stderr: string[] }> {
  const { factory, wasm } = await loadEngine();
  const stderr: string[] = [];
  const instance = await factory({
    arguments: args,
    print: () => {},
    printErr: (line) => stderr.push(line),
    preRun: [fastCreatePath, prepare],
    instantiateWasm(imports, done) {
      void WebAssembly.instantiate(wasm, imports).then(done);
      return {};
    },
  });
  return { instance, stderr };
}

/** The language codes and variants this engine has, read from its voice data, to check a mapping against. */
export async function engineVoices(): Promise<{ languages: Set<string>; variants: Set<string> }> {
  const { instance } = await run(['--version']);
  const variants = new Set(instance.FS.readdir(`${DATA_DIR}/voices/!v`).filter((n) => !n.startsWith('.')));
  const languages = new Set<string>();
  // A voice file declares the codes it answers to on its `language` lines; -v matches those.
  const walk = (dir: string) => {
    for (const name of instance.FS.readdir(dir)) {
      if (name.startsWith('.')) continue;
      const full = `${dir}/${name}`;
      let text: string;
      try {
        text = new TextDecoder().decode(instance.FS.readFile(full));
      } catch {
        walk(full);
        continue;
      }
      for (const m of text.matchAll(/^\s*language\s+(\S+)/gm)) languages.add(m[1]!.toLowerCase());
    }
  };
  walk(`${DATA_DIR}/lang`);
  return { languages, variants };
}

/** Finds the PCM data in a RIFF/WAVE file the engine wrote (16-bit mono). */
function parseWav(bytes: Uint8Array): Pcm {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('The speech engine wrote no WAV file');
  let sampleRate = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      sampleRate = view.getUint32(at + 12, true);
      if (view.getUint16(at + 10, true) !== 1 || view.getUint16(at + 22, true) !== 16) throw new Error('The speech engine wrote audio that is not 16-bit mono');
    } else if (id === 'data') {
      // The engine's size field may be a placeholder when it is not finalised; the data runs to the end.
      const end = Math.min(bytes.length, at + 8 + size);
      const start = at + 8;
      const copy = bytes.slice(start, start + ((end - start) & ~1));
      if (!sampleRate) throw new Error('The speech engine wrote a WAV file without a format');
      return { samples: new Int16Array(copy.buffer, copy.byteOffset, copy.byteLength / 2), sampleRate };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('The speech engine wrote a WAV file without audio');
}

/** The samples from the first to the last one above the engine's silence. */
export function trimSilence(samples: Int16Array): Int16Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) <= SILENCE) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) <= SILENCE) last--;
  return first >= samples.length ? new Int16Array(0) : samples.subarray(first, last + 1);
}

function voiceArgs(voice: EngineVoice): string[] {
  return ['-v', `${voice.language}+${voice.variant}`, '-s', String(Math.round(voice.speed)), '-p', String(Math.round(voice.pitch))];
}

/** Speaks one piece of text and returns its speech, without the engine's leading and trailing silence. */
export async function synthesize(text: string, voice: EngineVoice, signal?: AbortSignal): Promise<Pcm> {
  if (signal?.aborted) throw abortError();
  // The text goes in a file rather than argv, so a sentence starting with '-' is never read as an option.
  const clean = text.replace(/\s+/g, ' ').trim();
  const { instance, stderr } = await run([...voiceArgs(voice), '-b', '1', '-w', '/out.wav', '-f', '/in.txt'], (m) => m.FS.writeFile('/in.txt', clean));
  let wav: Uint8Array;
  try {
    wav = instance.FS.readFile('/out.wav');
  } catch {
    throw new Error(`The speech engine made no audio for voice ${voice.language}+${voice.variant}: ${stderr.join(' ').slice(0, 300) || 'no message'}`);
  }
  const pcm = parseWav(wav);
  return { samples: trimSilence(pcm.samples), sampleRate: pcm.sampleRate };
}

const samplesFor = (ms: number, rate: number) => Math.round((ms * rate) / 1000);
const msFor = (samples: number, rate: number) => (samples * 1000) / rate;

/** Lays the sentences' speech end to end with pauses; the cues are where each sentence's samples landed. */
export function joinSentences(texts: string[], parts: Pcm[]): { pcm: Pcm; cues: Cue[] } {
  if (!parts.length) throw new Error('Nothing to speak');
  const rate = parts[0]!.sampleRate;
  if (parts.some((p) => p.sampleRate !== rate)) throw new Error('The speech engine changed its sample rate between sentences');
  const pause = samplesFor(SENTENCE_PAUSE_MS, rate);
  const lead = samplesFor(LEAD_IN_MS, rate);
  const total = lead + parts.reduce((n, p) => n + p.samples.length, 0) + pause * (parts.length - 1) + samplesFor(TAIL_MS, rate);
  const out = new Int16Array(total);
  const cues: Cue[] = [];
  let at = lead;
  parts.forEach((p, i) => {
    out.set(p.samples, at);
    cues.push({ text: texts[i]!, startMs: Math.round(msFor(at, rate)), endMs: Math.round(msFor(at + p.samples.length, rate)) });
    at += p.samples.length + pause;
  });
  let peak = 0;
  for (const s of out) peak = Math.max(peak, Math.abs(s));
  if (peak > 0) {
    const gain = TARGET_PEAK / peak;
    for (let i = 0; i < out.length; i++) out[i] = Math.round(out[i]! * gain);
  }
  return { pcm: { samples: out, sampleRate: rate }, cues };
}

/**
 * Speaks the sentences in order, writes AAC in .m4a (48 kHz stereo, like every clip) to outPath, and
 * returns the file's length and one cue per sentence, measured from the samples.
 */
export async function speakSentences(spec: SpeechSpec, opts: MediaRunOptions = {}): Promise<SpeechResult> {
  const sentences = spec.sentences.map((s) => s.trim()).filter(Boolean);
  if (!sentences.length) throw new Error('There is no narration to speak');
  const parts: Pcm[] = [];
  const texts: string[] = [];
  for (const sentence of sentences) {
    if (opts.signal?.aborted) throw abortError();
    const pcm = await synthesize(sentence, spec.voice, opts.signal);
    // Punctuation alone ('…') makes no sound; it gets no cue either.
    if (!pcm.samples.length) continue;
    parts.push(pcm);
    texts.push(sentence);
  }
  if (!parts.length) throw new Error('The speech engine made no sound for this narration');
  const { pcm, cues } = joinSentences(texts, parts);

  await mkdir(path.dirname(spec.outPath), { recursive: true });
  const rawPath = `${spec.outPath}.pcm`;
  try {
    const le = Buffer.alloc(pcm.samples.length * 2);
    pcm.samples.forEach((s, i) => le.writeInt16LE(s, i * 2));
    await writeFile(rawPath, le);
    const cmd = createCommand()
      .input(rawPath).inputFormat('s16le').inputOptions(['-ar', String(pcm.sampleRate), '-ac', '1'])
      // The resampler's default filter is fine for speech; the rate matches every other clip's audio.
      .audioFilters([`aresample=${AUDIO_RATE}`])
      // The mp4 muxer's edit list hides the AAC priming samples, so the probed length equals the generated one.
      .outputOptions([...audioOutputOptions(), '-movflags', '+faststart', '-f', 'mp4'])
      .output(spec.outPath);
    await runCommand(cmd, opts.signal, opts, 'speech');
  } finally {
    await rm(rawPath, { force: true });
  }
  const { durationMs } = await probe(spec.outPath, opts.signal);
  return { durationMs, cues };
}
