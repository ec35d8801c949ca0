// Audio the tests make for themselves: quiet fixtures for media tests, and the non-speech signals the speech
// measure must reject. The two-sine pad is the drone that once stood in for the local provider's narration.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpegPath } from '@/lib/media/binaries';

const run = promisify(execFile);
const num = (n: number) => Number(n.toFixed(4)).toString();

// Low roots (G2..E3) with an added fifth, as the old stand-in used.
const ROOTS_HZ = [98, 110, 130.81, 146.83, 164.81] as const;

function padExpression(seed: number): string {
  const root = ROOTS_HZ[((Math.floor(seed) % ROOTS_HZ.length) + ROOTS_HZ.length) % ROOTS_HZ.length]!;
  const fifth = root * 1.5;
  // Detuned channels beat slowly and a 0.2 Hz swell moves the level: a drone with some life in it.
  const channel = (detune: number) =>
    `(0.075*sin(2*PI*${num(root + detune)}*t)+0.045*sin(2*PI*${num(fifth - detune)}*t))*(0.85+0.15*sin(2*PI*0.2*t))`;
  return `${channel(0)}|${channel(0.35)}`;
}

/** Writes durationMs of a lavfi source as 48 kHz stereo AAC in .m4a, like the pipeline's narration files. */
async function lavfiAudio(source: string, durationMs: number, outPath: string): Promise<{ durationMs: number }> {
  await mkdir(path.dirname(outPath), { recursive: true });
  const d = num(durationMs / 1000);
  await run(resolveFfmpegPath(), [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `${source}:d=${d}`, '-t', d,
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', '-f', 'mp4', outPath,
  ]);
  return { durationMs };
}

/** A quiet two-sine pad with a slow swell (peak about -18 dBFS): a stand-in audio track for media tests. */
export function toneAudio(spec: { durationMs: number; seed: number; outPath: string }): Promise<{ durationMs: number }> {
  return lavfiAudio(`aevalsrc='${padExpression(spec.seed)}':s=48000`, spec.durationMs, spec.outPath);
}

/** One sustained sine in the speech band. */
export function sineAudio(spec: { durationMs: number; hz: number; outPath: string }): Promise<{ durationMs: number }> {
  return lavfiAudio(`aevalsrc='0.3*sin(2*PI*${num(spec.hz)}*t)':s=48000`, spec.durationMs, spec.outPath);
}

/** White noise at a steady level. */
export function noiseAudio(spec: { durationMs: number; outPath: string }): Promise<{ durationMs: number }> {
  return lavfiAudio(`anoisesrc=c=white:a=0.2:r=48000`, spec.durationMs, spec.outPath);
}

/**
 * The file's audio with a constant three-note chord (330, 440, 554 Hz: inside the speech band) mixed under it,
 * `belowDb` under a 0.8 peak, never ducked: a harsher bed than a real, ducked one.
 */
export async function withChordUnder(spec: { inPath: string; belowDb: number; outPath: string }): Promise<void> {
  const level = num((0.8 * 10 ** (-spec.belowDb / 20)) / 3);
  await run(resolveFfmpegPath(), [
    '-v', 'error', '-y', '-i', spec.inPath,
    '-f', 'lavfi', '-i', `aevalsrc='${level}*(sin(2*PI*330*t)+sin(2*PI*440*t)+sin(2*PI*554*t))':s=48000:d=600`,
    // amix halves each input; the volume puts both back at their own levels.
    '-filter_complex', '[0:a][1:a]amix=inputs=2:duration=first,volume=2',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-f', 'mp4', spec.outPath,
  ]);
}
