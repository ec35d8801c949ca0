import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AUDIO_RATE, audioOutputOptions } from './encoding';
import { abortError, createCommand, runCommand, type MediaRunOptions } from './ffmpeg';
import { probe } from './probe';

export interface ToneSpec {
  durationMs: number;
  /** Picks the chord, so neighbouring scenes sound slightly different. */
  seed: number;
  outPath: string;
}

// Low roots (G2..E3) with an added fifth stay out of the speech band a real narration would occupy.
const ROOTS_HZ = [98, 110, 130.81, 146.83, 164.81] as const;

const num = (n: number) => Number(n.toFixed(4)).toString();

export function toneChord(seed: number): { root: number; fifth: number } {
  const n = Number.isFinite(seed) ? Math.floor(seed) : 0;
  const root = ROOTS_HZ[((n % ROOTS_HZ.length) + ROOTS_HZ.length) % ROOTS_HZ.length];
  return { root, fifth: root * 1.5 };
}

// Each channel is detuned by a fraction of a hertz so the two sines beat slowly (a cheap chorus), and a 0.2 Hz
// swell keeps the pad from sounding like a test tone. Peak stays around -18 dBFS: it must not compete with music.
function padExpression(root: number, fifth: number): string {
  const channel = (detune: number) =>
    `(0.075*sin(2*PI*${num(root + detune)}*t)+0.045*sin(2*PI*${num(fifth - detune)}*t))*(0.85+0.15*sin(2*PI*0.2*t))`;
  return `${channel(0)}|${channel(0.35)}`;
}

/** The local provider's stand-in for narration: a quiet two-sine pad, AAC in .m4a, exactly durationMs long. */
export async function toneAudio(spec: ToneSpec, opts: MediaRunOptions = {}): Promise<{ durationMs: number }> {
  if (!Number.isFinite(spec.durationMs) || spec.durationMs < 1) {
    throw new Error(`Tone duration must be at least 1 ms, got ${spec.durationMs}`);
  }
  if (opts.signal?.aborted) throw abortError();
  const d = Math.round(spec.durationMs) / 1000;
  const fade = Math.min(0.6, d / 4);
  const { root, fifth } = toneChord(spec.seed);
  await mkdir(path.dirname(spec.outPath), { recursive: true });
  const cmd = createCommand()
    // Quoted so the commas inside the expression are not read as filter separators.
    .input(`aevalsrc='${padExpression(root, fifth)}':s=${AUDIO_RATE}:d=${num(d)}`).inputFormat('lavfi')
    .audioFilters([`afade=t=in:st=0:d=${num(fade)}`, `afade=t=out:st=${num(d - fade)}:d=${num(fade)}`])
    // The mp4 muxer's edit list hides the AAC priming samples, so the probed length equals the generated one.
    .outputOptions([...audioOutputOptions(), '-movflags', '+faststart', '-f', 'mp4'])
    .output(spec.outPath);
  await runCommand(cmd, opts.signal, opts);
  const { durationMs } = await probe(spec.outPath, opts.signal);
  return { durationMs };
}
